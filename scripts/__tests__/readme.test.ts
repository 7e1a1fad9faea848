import fs from 'fs';
import path from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import smsVotingConfig from '../../plugins/sms-voting/server/src/config';
import contentApiRoutes from '../../plugins/sms-voting/server/src/routes/content-api';
import { INBOUND_PATH } from '../../plugins/sms-voting/server/src/policies/twilio-signature';
import { REPO_DIR } from '../lib/build';
import { webhookSettings } from '../../workers/src/webhooks/settings';
import { INBOUND_PATH as SIMULATED_INBOUND_PATH } from '../lib/twilio-inbound';

// What the READMEs tell people to type or to configure matches what the code does.
const read = (file: string) => fs.readFileSync(path.join(REPO_DIR, file), 'utf8');
const READMES = ['README.md', 'cms/README.md', 'workers/README.md', 'site/README.md', 'infra/README.md', 'plugins/README.md', 'plugins/sms-voting/README.md', 'plugins/ops/README.md', 'plugins/webhooks/README.md', 'plugins/two-factor/README.md', 'plugins/crm/README.md'].filter((file) =>
  fs.existsSync(path.join(REPO_DIR, file))
);
const scriptsOf = (dir: string) => Object.keys(JSON.parse(read(path.join(dir, 'package.json'))).scripts ?? {});

/** The default column of a configuration table's row for `name`. */
function tableDefault(markdown: string, name: string, column: number) {
  const row = markdown.split('\n').find((line) => line.startsWith(`| \`${name}\``));
  return row?.split('|').map((cell) => cell.trim())[column];
}

describe('the READMEs', () => {
  it('name only npm scripts that exist (`npm run x`, `npm run x -w workspace`)', () => {
    const named = READMES.flatMap((file) => [...read(file).matchAll(/npm run ([\w:-]+)(?: -w ([\w/-]+))?/g)].map((match) => ({ file, script: match[1], workspace: match[2] ?? '.' })));
    expect(named.length).toBeGreaterThan(10);
    for (const { file, script, workspace } of named) expect(scriptsOf(workspace), `${file}: npm run ${script} -w ${workspace}`).toContain(script);
  });

  it('state one PUBLIC_URL default, the one the sms-voting plugin signs for', () => {
    const configured = (vars: Record<string, string>) => {
      const env = Object.assign((key: string, fallback = '') => vars[key] ?? fallback, { int: (key: string, fallback = 0) => (vars[key] ? Number(vars[key]) : fallback) });
      return smsVotingConfig.default({ env }).publicUrl;
    };
    expect(configured({})).toBe('http://localhost:1337');
    expect(configured({ PORT: '8080' })).toBe('http://localhost:8080');
    expect(configured({ PUBLIC_URL: 'https://votes.example' })).toBe('https://votes.example');

    expect(tableDefault(read('README.md'), 'PUBLIC_URL', 3)).toBe('`http://localhost:$PORT`');
    expect(tableDefault(read('plugins/sms-voting/README.md'), 'PUBLIC_URL', 2)).toBe('`http://localhost:$PORT`');
    // docker compose runs the cms on the default port.
    const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: { cms: { environment: Record<string, string> } } };
    expect(compose.services.cms.environment.PUBLIC_URL).toBe(`\${PUBLIC_URL:-${configured({})}}`);
    const example = read('infra/compose.env.example').split('\n');
    expect(example[example.indexOf('# PUBLIC_URL=') - 1]).toContain(`(default ${configured({})})`);
  });

  it('give the webhook address the sms-voting plugin serves and checks signatures for', () => {
    const inbound = contentApiRoutes.routes.find((route) => route.handler === 'twilio.inbound');
    expect(`/api/sms-voting${inbound?.path}`).toBe(INBOUND_PATH);
    // What `npm run sms` and the tests post to.
    expect(SIMULATED_INBOUND_PATH).toBe(INBOUND_PATH);
    expect(read('README.md')).toContain(`\${PUBLIC_URL}${INBOUND_PATH}`);
    expect(read('README.md')).toContain(`https://<your tunnel>${INBOUND_PATH}`);
  });

  it('give the webhooks\' defaults as the workers apply them', () => {
    const readme = read('plugins/webhooks/README.md');
    const stated = (name: string) => tableDefault(readme, name, 2)?.match(/^`([^`]*)`/)?.[1];
    const defaults = webhookSettings({});
    expect(stated('WEBHOOKS_RETRY_SCHEDULE_MS')).toBe(defaults.retryScheduleMs.join(','));
    expect(Number(stated('WEBHOOKS_TIMEOUT_MS'))).toBe(defaults.timeoutMs);
    expect(Number(stated('WEBHOOKS_DISABLE_AFTER_MS'))).toBe(defaults.disableAfterMs);
    expect(Number(stated('WEBHOOKS_PER_ENDPOINT'))).toBe(defaults.perEndpoint);
    expect(Number(stated('WEBHOOKS_ROTATION_OVERLAP_MS'))).toBe(defaults.rotationOverlapMs);
  });
});
