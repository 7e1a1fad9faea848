import fs from 'fs';
import path from 'path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { SECRET_NAMES } from '../../cms/src/lib/secrets';
import { APP_JOBS, JOB_NAMES, needsApp } from '../../workers/src/catalogue';

// Static checks of the deployment files: what would make `docker compose up` or
// `kubectl apply -k infra/k8s/base` fail, start in the wrong order, or leak a secret.

const REPO = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf8');

type Healthcheck = { test?: string | string[]; disable?: boolean };
type Service = {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string };
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: Record<string, unknown> | string[];
  healthcheck?: Healthcheck;
  volumes?: (string | { type?: string; source?: string })[];
  restart?: string;
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

// Compose resolves YAML merge keys (<<: *anchor); YAML 1.2 parsers only do when asked.
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as Compose;
const services = compose.services;

const ONE_SHOT = new Set(['minio-init']);
// The variables compose refuses to start without (`${NAME:?…}`): the file's own list of secrets.
const requiredInCompose = (service: Service) =>
  Object.values(environment(service)).flatMap((value) => [...String(value).matchAll(/\$\{(\w+):\?/g)].map((match) => match[1]));

function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value ?? '')]));
}

function dependency(service: Service, name: string): { condition?: string } | undefined {
  const deps = service.depends_on;
  if (!deps) return undefined;
  if (Array.isArray(deps)) return deps.includes(name) ? {} : undefined;
  return deps[name];
}

function dockerfileStages(file: string): string[] {
  return [...read(file).matchAll(/^\s*FROM\s+\S+\s+AS\s+([\w.-]+)\s*$/gim)].map((match) => match[1].toLowerCase());
}

describe('docker-compose.yml', () => {
  it('has the platform services', () => {
    for (const name of ['postgres', 'redis', 'minio', 'minio-init', 'cms', 'workers', 'backups', 'webhooks', 'site']) {
      expect(services, `service ${name}`).toHaveProperty(name);
    }
  });

  it('gives every long-running service a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      if (ONE_SHOT.has(name)) continue;
      const check = service.healthcheck;
      expect(check?.test, `${name} has no healthcheck`).toBeTruthy();
      expect(check?.disable, `${name} disables its healthcheck`).not.toBe(true);
    }
  });

  it('starts the cms only once PostgreSQL and Redis are healthy', () => {
    expect(dependency(services.cms, 'postgres')?.condition).toBe('service_healthy');
    expect(dependency(services.cms, 'redis')?.condition).toBe('service_healthy');
  });

  it('starts the workers and the site only once the cms is healthy', () => {
    expect(dependency(services.workers, 'cms')?.condition).toBe('service_healthy');
    expect(dependency(services.site, 'cms')?.condition).toBe('service_healthy');
  });

  it('only waits on services that exist and are not one-shot', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) {
        expect(services, `${name} depends on unknown ${dep}`).toHaveProperty(dep);
        if (dependency(service, dep)?.condition === 'service_healthy') {
          expect(services[dep].healthcheck?.test, `${name} waits for ${dep} to be healthy, which has no healthcheck`).toBeTruthy();
        }
      }
    }
  });

  it('requires every secret the cms needs from the environment, with no value in the file', () => {
    // The cms's own list and what compose requires are the same: a secret added to the cms is required here
    // (and the backups' key, for the cms's Backups page).
    expect(new Set(requiredInCompose(services.cms))).toEqual(new Set([...SECRET_NAMES, 'BACKUP_ENCRYPTION_KEY']));
    expect(new Set(requiredInCompose(services.workers))).toEqual(new Set(SECRET_NAMES));
    for (const name of ['cms', 'workers']) {
      const env = environment(services[name]);
      for (const secret of SECRET_NAMES) {
        expect(env[secret], `${name}: ${secret}`).toMatch(new RegExp(`^\\$\\{${secret}:\\?[^}]*\\}$`));
      }
      expect(env.NODE_ENV, `${name} runs in production mode`).toBe('production');
      expect(env.DATABASE_URL, `${name} uses the compose PostgreSQL`).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(env.REDIS_URL, `${name} uses the compose Redis`).toBe('redis://redis:6379');
    }
    // Nowhere else in the file either (e.g. a literal APP_KEYS=… in some other service).
    for (const secret of SECRET_NAMES) {
      for (const match of composeText.matchAll(new RegExp(`^\\s*-?\\s*${secret}\\s*[:=]\\s*(.*)$`, 'gm'))) {
        expect(match[1].trim(), `${secret} in docker-compose.yml`).toMatch(new RegExp(`^\\$\\{${secret}:\\?`));
      }
    }
  });

  it('keeps uploads in the MinIO bucket that minio-init makes readable, and lets the site show them', () => {
    const cms = environment(services.cms);
    expect(cms).toMatchObject({ S3_BUCKET: 'ovation-uploads', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'true' });
    expect(dependency(services.cms, 'minio-init')?.condition).toBe('service_completed_successfully');
    const init = JSON.stringify(services['minio-init']);
    expect(init).toContain('ovation/ovation-uploads');
    expect(init).toMatch(/mc anonymous set download ovation\/ovation-uploads/);
    // What browsers are handed (S3_CDN_URL) is an origin the site's CSP allows (MEDIA_ORIGINS).
    const cdn = new URL(cms.S3_CDN_URL.replace(/^\$\{S3_CDN_URL:-(.*)\}$/, '$1'));
    expect(cdn.pathname).toBe('/ovation-uploads');
    expect(environment(services.site).MEDIA_ORIGINS).toBe(`\${MEDIA_ORIGINS:-${cdn.origin}}`);
    // No upload lives on a cms container's disk.
    expect(JSON.stringify(services.cms.volumes ?? [])).not.toContain('uploads');
  });

  it('runs backups in a service of their own, which needs no app secret, and the app\'s jobs in the workers', () => {
    const backups = environment(services.backups);
    expect(backups).toMatchObject({ WORKER_JOBS: 'backup.run', BACKUP_S3_BUCKET: 'ovation-backups', S3_ENDPOINT: 'http://minio:9000', NODE_ENV: 'production' });
    expect(backups.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(requiredInCompose(services.backups)).toEqual(['BACKUP_ENCRYPTION_KEY']);
    for (const secret of SECRET_NAMES) expect(backups, `backups gets ${secret}`).not.toHaveProperty(secret);
    expect(JSON.stringify(services['minio-init'])).toContain('ovation/ovation-backups');
    expect(dependency(services.backups, 'minio-init')?.condition).toBe('service_completed_successfully');
    // The workers run every job of the app's (the audit trail's hourly checkpoints and purge among
    // them) and the campaign fan-out, which needs only the database but is rare enough to share their
    // process; with the backups service, every job of the catalogue runs somewhere.
    const workerJobs = environment(services.workers).WORKER_JOBS.split(',');
    expect([...workerJobs].sort()).toEqual([...APP_JOBS, 'campaign.fanout'].sort());
    expect([...workerJobs, 'backup.run', 'webhook.fanout', 'webhook.deliver'].sort()).toEqual([...JOB_NAMES].sort());
    expect(environment(services.cms).BACKUP_S3_BUCKET).toBe('ovation-backups');
    // The image carries pg_dump of the compose PostgreSQL's major version (pg_dump refuses a newer server).
    const major = /postgres:(\d+)/.exec(services.postgres.image ?? '')?.[1];
    expect(read('infra/docker/Dockerfile')).toMatch(new RegExp(`FROM runtime AS backups[\\s\\S]*ARG PG_MAJOR=${major}\\b[\\s\\S]*postgresql-client-\\$\\{PG_MAJOR\\}`));
  });

  it('delivers webhooks in a database-only worker of their own, whose one secret unseals the signing secrets', () => {
    const webhooks = environment(services.webhooks);
    expect(webhooks).toMatchObject({ WORKER_JOBS: 'webhook.fanout,webhook.deliver', NODE_ENV: 'production', CMS_URL: 'http://cms:1337', REDIS_URL: 'redis://redis:6379' });
    expect(webhooks.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(requiredInCompose(services.webhooks)).toEqual(['PII_ENCRYPTION_KEY']);
    expect(needsApp(['webhook.fanout', 'webhook.deliver'])).toBe(false);
    expect(dependency(services.webhooks, 'cms')?.condition).toBe('service_healthy');
  });

  it('points the workers and the site at the cms service', () => {
    expect(environment(services.workers).CMS_URL).toBe('http://cms:1337');
    expect(environment(services.site).CMS_URL).toBe('http://cms:1337');
  });

  it('builds every app image from infra/docker/Dockerfile, at a stage that exists', () => {
    const built = Object.entries(services).filter(([, service]) => service.build);
    expect(built.map(([name]) => name).sort()).toEqual(['backups', 'cms', 'site', 'webhooks', 'workers']);
    const stages = dockerfileStages('infra/docker/Dockerfile');
    for (const [name, service] of built) {
      expect(service.build?.context ?? '.', `${name} build context`).toBe('.');
      expect(path.normalize(service.build?.dockerfile ?? 'Dockerfile'), `${name} dockerfile`).toBe(path.normalize('infra/docker/Dockerfile'));
      expect(stages, `${name} target ${service.build?.target}`).toContain(service.build?.target);
    }
  });

  it('declares every named volume and mounts only files that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source ?? '';
        if (source.startsWith('.') || source.startsWith('/')) {
          expect(fs.existsSync(path.resolve(REPO, source)), `${name} mounts missing ${source}`).toBe(true);
        } else {
          expect(compose.volumes ?? {}, `${name} uses undeclared volume ${source}`).toHaveProperty(source);
        }
      }
    }
  });

  it('only uses ${…} interpolation and $$ escapes (a bare $ would be interpolated by compose)', () => {
    const interpolation = /\$(?!\{[A-Z_][A-Z0-9_]*(?:(?::?[-?+])[^}]*)?\})/;
    composeText.split('\n').forEach((line, index) => {
      if (line.trimStart().startsWith('#')) return;
      const bare = interpolation.exec(line.replace(/\$\$/g, ''));
      expect(bare, `unescaped $ on line ${index + 1} of docker-compose.yml: ${line.trim()}`).toBeNull();
    });
  });
});

describe('infra/docker/Dockerfile', () => {
  const dockerfile = read('infra/docker/Dockerfile');

  it('has the build stage and the cms, workers and site targets', () => {
    expect(dockerfileStages('infra/docker/Dockerfile')).toEqual(expect.arrayContaining(['build', 'cms', 'workers', 'backups', 'site']));
  });

  it('runs the apps as a non-root user', () => {
    expect(dockerfile).toMatch(/^USER\s+(?!root\b|0\b)\S+/m);
  });

  it('keeps local installs, build output and .env files out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const pattern of ['**/node_modules', '**/dist', '.env', '**/.env']) expect(ignored).toContain(pattern);
  });
});

describe('infra/compose.env.example', () => {
  it('lists every required secret, without a value', () => {
    const example = read('infra/compose.env.example');
    for (const secret of [...SECRET_NAMES, 'BACKUP_ENCRYPTION_KEY']) expect(example).toMatch(new RegExp(`^${secret}=$`, 'm'));
  });
});

type K8sObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: Record<string, any>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};

describe('infra/k8s/base', () => {
  const dir = path.join(REPO, 'infra/k8s/base');
  const files = fs.readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
  const kustomization = parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };

  const objects: K8sObject[] = kustomization.resources.flatMap((file) =>
    parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))
      .map((doc) => doc.toJS() as K8sObject | null)
      .filter((object): object is K8sObject => object !== null)
  );
  const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);

  it('parses every YAML file', () => {
    for (const file of files) {
      const docs = parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'));
      for (const doc of docs) expect(doc.errors, file).toEqual([]);
    }
  });

  it('lists only files that exist, and every manifest but the secret example', () => {
    for (const resource of kustomization.resources) expect(fs.existsSync(path.join(dir, resource)), resource).toBe(true);
    const unlisted = files.filter((file) => file !== 'kustomization.yaml' && !kustomization.resources.includes(file));
    expect(unlisted).toEqual(['secret.example.yaml']);
  });

  it('has the cms, workers, backups, webhooks and site Deployments, each selecting its own pods', () => {
    const deployments = ofKind('Deployment');
    expect(deployments.map((d) => d.metadata?.name).sort()).toEqual(['backups', 'cms', 'site', 'webhooks', 'workers']);
    for (const deployment of deployments) {
      const selector = deployment.spec?.selector?.matchLabels as Record<string, string>;
      const labels = deployment.spec?.template?.metadata?.labels as Record<string, string>;
      expect(selector, `${deployment.metadata?.name} selector`).toBeTruthy();
      expect(labels, `${deployment.metadata?.name} template labels`).toMatchObject(selector);
    }
    // No two Deployments may select each other's pods.
    for (const a of deployments) {
      for (const b of deployments) {
        if (a === b) continue;
        const selector = a.spec?.selector?.matchLabels as Record<string, string>;
        const labels = b.spec?.template?.metadata?.labels as Record<string, string>;
        const overlaps = Object.entries(selector).every(([key, value]) => labels[key] === value);
        expect(overlaps, `${a.metadata?.name} also selects ${b.metadata?.name}'s pods`).toBe(false);
      }
    }
  });

  it('routes each Service to a Deployment port, and the Ingress to existing Services', () => {
    const deployments = ofKind('Deployment');
    const services = ofKind('Service');
    for (const service of services) {
      const selector = service.spec?.selector as Record<string, string>;
      const target = deployments.find((d) =>
        Object.entries(selector).every(([key, value]) => d.spec?.template?.metadata?.labels?.[key] === value)
      );
      expect(target, `Service ${service.metadata?.name} selects no Deployment`).toBeTruthy();
      const containerPorts = (target?.spec?.template?.spec?.containers ?? []).flatMap(
        (container: { ports?: { name?: string; containerPort: number }[] }) => container.ports ?? []
      );
      for (const port of service.spec?.ports ?? []) {
        const found = containerPorts.some((p: { name?: string; containerPort: number }) => p.name === port.targetPort || p.containerPort === port.targetPort);
        expect(found, `Service ${service.metadata?.name} targets missing port ${port.targetPort}`).toBe(true);
      }
    }
    for (const ingress of ofKind('Ingress')) {
      for (const rule of ingress.spec?.rules ?? []) {
        for (const p of rule.http?.paths ?? []) {
          const backend = p.backend.service;
          const service = services.find((s) => s.metadata?.name === backend.name);
          expect(service, `Ingress backend ${backend.name}`).toBeTruthy();
          const ports = (service?.spec?.ports ?? []) as { name?: string; port: number }[];
          expect(ports.some((port) => port.name === backend.port.name || port.port === backend.port.number)).toBe(true);
        }
      }
    }
  });

  it('points the HPA at an existing Deployment, and CMS_URL at the cms Service', () => {
    for (const hpa of ofKind('HorizontalPodAutoscaler')) {
      expect(ofKind('Deployment').map((d) => d.metadata?.name)).toContain(hpa.spec?.scaleTargetRef?.name);
    }
    const config = ofKind('ConfigMap').find((c) => c.metadata?.name === 'ovation-config');
    expect(config?.data?.CMS_URL).toBe('http://cms:1337');
    expect(ofKind('Service').find((s) => s.metadata?.name === 'cms')?.spec?.ports?.[0]?.port).toBe(1337);
  });

  it('keeps uploads in S3, read through a CDN origin the site allows', () => {
    const config = ofKind('ConfigMap').find((c) => c.metadata?.name === 'ovation-config')?.data ?? {};
    expect(config.S3_BUCKET).toBeTruthy();
    expect(config.MEDIA_ORIGINS?.split(',')).toContain(new URL(config.S3_CDN_URL).origin);
    const site = ofKind('Deployment').find((d) => d.metadata?.name === 'site');
    expect(site?.spec?.template?.spec?.containers?.[0]?.envFrom).toEqual(expect.arrayContaining([{ configMapRef: { name: 'ovation-config' } }]));
    // No pod keeps uploads on its own disk.
    for (const deployment of ofKind('Deployment')) expect(JSON.stringify(deployment.spec?.template?.spec?.volumes ?? [])).not.toContain('uploads');
  });

  it('feeds the apps from ovation-config and ovation-secrets, whose example lists every secret', () => {
    const secretExample = parse(fs.readFileSync(path.join(dir, 'secret.example.yaml'), 'utf8')) as K8sObject;
    expect(secretExample.metadata?.name).toBe('ovation-secrets');
    for (const secret of [...SECRET_NAMES, 'DATABASE_URL']) {
      expect(secretExample.stringData, `secret.example.yaml lacks ${secret}`).toHaveProperty(secret);
      expect(secretExample.stringData?.[secret], `secret.example.yaml has a value for ${secret}`).toBe('');
    }
    expect(secretExample.stringData).toHaveProperty('BACKUP_ENCRYPTION_KEY', '');
    for (const name of ['cms', 'workers', 'backups', 'webhooks']) {
      const deployment = ofKind('Deployment').find((d) => d.metadata?.name === name);
      const envFrom = deployment?.spec?.template?.spec?.containers?.[0]?.envFrom ?? [];
      expect(envFrom, name).toEqual(
        expect.arrayContaining([{ configMapRef: { name: 'ovation-config' } }, { secretRef: { name: 'ovation-secrets' } }])
      );
    }
  });
});

describe('infra/k8s/base backups', () => {
  const dir = path.join(REPO, 'infra/k8s/base');
  const documents = (file: string) => parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((doc) => doc.toJS() as K8sObject);
  const container = (file: string) => documents(file)[0].spec?.template?.spec?.containers?.[0] as { image: string; env: { name: string; value: string }[] };
  const envOf = (file: string) => Object.fromEntries(container(file).env.map(({ name, value }) => [name, value]));

  it('runs backup.run only in the backups Deployment, on the backups image, into the configured bucket', () => {
    expect(container('backups-deployment.yaml').image).toBe('ovation/backups');
    expect(envOf('backups-deployment.yaml').WORKER_JOBS).toBe('backup.run');
    expect(envOf('workers-deployment.yaml').WORKER_JOBS.split(',').sort()).toEqual([...APP_JOBS, 'campaign.fanout'].sort());
    expect(envOf('webhooks-deployment.yaml').WORKER_JOBS).toBe('webhook.fanout,webhook.deliver');
    expect([...envOf('workers-deployment.yaml').WORKER_JOBS.split(','), 'backup.run', 'webhook.fanout', 'webhook.deliver'].sort()).toEqual([...JOB_NAMES].sort());
    expect(documents('configmap.yaml')[0].data?.BACKUP_S3_BUCKET).toBeTruthy();
    const kustomization = parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { images: { name: string }[] };
    expect(kustomization.images.map((image) => image.name)).toContain('ovation/backups');
  });

  it('lets Prometheus scrape every worker Deployment (the app\'s jobs, webhooks, backups) on its metrics port', () => {
    for (const file of ['workers-deployment.yaml', 'webhooks-deployment.yaml', 'backups-deployment.yaml']) {
      const worker = container(file) as { env: { name: string; value: string }[]; ports?: { name: string; containerPort: number }[] };
      expect(envOf(file).WORKER_METRICS_PORT, file).toBe('9464');
      expect(worker.ports, file).toEqual([{ name: 'metrics', containerPort: 9464 }]);
    }
    // Each has its own alert when none of its pods runs.
    const rules = read('infra/prometheus/rules.yaml');
    for (const deployment of ['workers', 'webhooks']) expect(rules).toContain(`kube_deployment_status_replicas_available{namespace="ovation", deployment="${deployment}"} == 0`);
  });
});

describe('infra/prometheus/rules.yaml', () => {
  it('is a rule file whose alerts all have a name and an expression', () => {
    const rules = parse(read('infra/prometheus/rules.yaml')) as { groups: { name: string; rules: { alert?: string; expr?: string }[] }[] };
    const alerts = rules.groups.flatMap((group) => group.rules);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      expect(alert.alert).toBeTruthy();
      expect(alert.expr, alert.alert).toBeTruthy();
    }
  });
});
