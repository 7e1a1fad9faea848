/**
 * A CDN in front of a private bucket, as CloudFront with origin access control is: anyone may GET a
 * key from it, and it reads the object from S3 with credentials of its own. The bucket itself never
 * serves anonymous reads (moto refuses them for objects without a public ACL, as S3 does).
 */
import http from 'http';
import { Readable } from 'stream';
import { GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export async function startCdn(config: S3ClientConfig, bucket: string) {
  const client = new S3Client(config);
  const server = http.createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://cdn').pathname.slice(1));
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      res.writeHead(200, {
        'content-type': object.ContentType ?? 'application/octet-stream',
        ...(object.ContentLength !== undefined ? { 'content-length': String(object.ContentLength) } : {}),
      });
      if (req.method === 'HEAD') return void res.end();
      (object.Body as Readable).pipe(res);
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      res.writeHead(status === 404 || status === 403 ? 404 : 502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
