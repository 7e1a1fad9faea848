import { describe, expect, it } from 'vitest';
import { mediaOrigins, mediaStorage, uploadProviderConfig } from '../media-storage';

const MINIO = { S3_BUCKET: 'ovation-uploads', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'true', S3_ACCESS_KEY_ID: 'ovation', S3_SECRET_ACCESS_KEY: 'secret' };

type Options = { baseUrl?: string; s3Options: { params: { Bucket: string; ACL?: string; signedUrlExpires: number }; forcePathStyle: boolean; endpoint?: string } };
const options = (env: NodeJS.ProcessEnv) => (uploadProviderConfig(mediaStorage(env)) as { provider: string; providerOptions: Options }).providerOptions;

describe('where uploads live', () => {
  it('keeps them on local disk without S3_BUCKET (Strapi’s local provider)', () => {
    expect(mediaStorage({})).toBeNull();
    expect(uploadProviderConfig(mediaStorage({}))).toEqual({});
    expect(mediaOrigins(mediaStorage({}))).toEqual([]);
  });

  it('sends them to the bucket through the aws-s3 provider, public-read at the bucket’s address by default', () => {
    expect(uploadProviderConfig(mediaStorage(MINIO))).toMatchObject({ provider: 'aws-s3' });
    const { baseUrl, s3Options } = options(MINIO);
    expect(baseUrl).toBeUndefined();
    expect(s3Options).toMatchObject({ endpoint: 'http://minio:9000', forcePathStyle: true, params: { Bucket: 'ovation-uploads', ACL: 'public-read' } });
    expect(mediaOrigins(mediaStorage(MINIO))).toEqual(['http://minio:9000']);
    expect(mediaOrigins(mediaStorage({ S3_BUCKET: 'media', S3_REGION: 'eu-west-1' }))).toContain('https://media.s3.eu-west-1.amazonaws.com');
  });

  it('serves them through a CDN: its base URL, no ACL (the CDN reads with its own identity)', () => {
    const env = { ...MINIO, S3_CDN_URL: 'https://media.example.com/' };
    const { baseUrl, s3Options } = options(env);
    expect(baseUrl).toBe('https://media.example.com');
    expect(s3Options.params.ACL).toBeUndefined();
    expect(mediaOrigins(mediaStorage(env))).toEqual(['https://media.example.com']);
  });

  it('keeps a private bucket private, with signed URLs for S3_SIGNED_URL_SECONDS', () => {
    const { s3Options } = options({ ...MINIO, S3_PRIVATE: 'true', S3_SIGNED_URL_SECONDS: '120' });
    expect(s3Options.params).toMatchObject({ ACL: 'private', signedUrlExpires: 120 });
    expect(options({ ...MINIO, S3_PRIVATE: 'true' }).s3Options.params.signedUrlExpires).toBe(900);
  });

  it('refuses to start on settings that cannot work, naming them', () => {
    expect(() => mediaStorage({ ...MINIO, S3_PRIVATE: 'true', S3_CDN_URL: 'https://media.example.com' })).toThrow(/S3_PRIVATE.*S3_CDN_URL/);
    expect(() => mediaStorage({ ...MINIO, S3_SECRET_ACCESS_KEY: '' })).toThrow(/S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
    expect(() => mediaStorage({ ...MINIO, S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT/);
    expect(() => mediaStorage({ ...MINIO, S3_FORCE_PATH_STYLE: 'yes please' })).toThrow(/S3_FORCE_PATH_STYLE/);
    expect(() => mediaStorage({ ...MINIO, S3_SIGNED_URL_SECONDS: '0' })).toThrow(/S3_SIGNED_URL_SECONDS/);
  });
});
