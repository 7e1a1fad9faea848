/**
 * What a caller can reach over the content API: probe rows that make a leak visible, and walks over
 * the relations a populate follows and over the GraphQL schema. Used by __tests__/personal-data.test.ts.
 */
import crypto from 'crypto';
import type { Core, Struct } from '@strapi/strapi';

/** A row of this type whose every text field carries the marker, so a leak shows (relations and media left empty). */
export function probeData(contentType: Struct.ContentTypeSchema, marker: string): Record<string, unknown> {
  const data: Record<string, unknown> = { documentId: crypto.randomBytes(12).toString('hex'), publishedAt: new Date() };
  for (const [name, attribute] of Object.entries(contentType.attributes)) {
    switch (attribute.type) {
      case 'string':
      case 'text':
      case 'richtext':
      case 'uid':
      case 'password':
        data[name] = `${marker}-${name}`;
        break;
      case 'email':
        data[name] = `${marker}-${name}@ovation.test`;
        break;
      case 'enumeration':
        data[name] = attribute.enum[0];
        break;
      case 'integer':
      case 'biginteger':
      case 'float':
      case 'decimal':
        data[name] = 1;
        break;
      case 'boolean':
        data[name] = false;
        break;
      case 'datetime':
      case 'timestamp':
        data[name] = new Date();
        break;
      case 'date':
        data[name] = new Date().toISOString().slice(0, 10);
        break;
      case 'json':
        data[name] = { probe: marker };
        break;
    }
  }
  // A finished job: a worker of a later test file must not pick it up.
  if (contentType.uid === 'plugin::ops.job') data.state = 'done';
  // A fan's tags are a list of text: the database refuses anything else (cms/src/lib/constraints.ts).
  if (contentType.uid === 'api::fan.fan') data.tags = [marker];
  // A campaign's templates are a language's text: likewise (plugins/crm/server/src/campaigns/schema.ts).
  if (contentType.uid === 'plugin::crm.campaign') data.templates = { en: { body: marker } };
  return data;
}

/** The types with a media field: the only ones an upload's `related` (a morph relation) can point at. */
export const typesWithMedia = (strapi: Core.Strapi) =>
  (Object.values(strapi.contentTypes) as Struct.ContentTypeSchema[]).filter((model) =>
    Object.values(model.attributes).some((attribute) => attribute.type === 'media')
  );

/** Every type a populate can reach from these, through the attributes the content API shows. */
export function reachableThroughPopulate(strapi: Core.Strapi, roots: string[]) {
  const withMedia = typesWithMedia(strapi).map((model) => model.uid as string);
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const uid = queue.pop() as string;
    if (seen.has(uid)) continue;
    seen.add(uid);
    const model = strapi.getModel(uid as never) as Struct.Schema;
    for (const [name, attribute] of Object.entries(model.attributes) as [string, Record<string, any>][]) {
      if (attribute.private) continue;
      // Strapi drops creator fields from the content API unless a type asks for them.
      if ((name === 'createdBy' || name === 'updatedBy') && !(model.options as { populateCreatorFields?: boolean })?.populateCreatorFields) continue;
      if (attribute.type === 'relation') queue.push(...(attribute.target ? [attribute.target] : withMedia));
      if (attribute.type === 'media') queue.push('plugin::upload.file');
      if (attribute.type === 'component') queue.push(attribute.component);
      if (attribute.type === 'dynamiczone') queue.push(...attribute.components);
    }
  }
  return seen;
}

export type IntrospectedType = {
  name: string;
  fields: { name: string; args: { name: string; type: TypeRef }[]; type: TypeRef }[] | null;
  possibleTypes: { name: string }[] | null;
};
export type TypeRef = { kind: string; name: string | null; ofType: TypeRef | null };

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
export const INTROSPECTION = `{ __schema { types { name possibleTypes { name }
  fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } } } } }`;

export const namedType = (ref: TypeRef): string => (ref.ofType ? namedType(ref.ofType) : (ref.name as string));

/**
 * Every GraphQL type a selection can reach from this one. `GenericMorph` (an upload's `related`)
 * lists every type, but only a type with a media field can be related to an upload.
 */
export function reachableTypes(types: Map<string, IntrospectedType>, from: string, withMedia: Set<string>) {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const type = types.get(name);
    for (const field of type?.fields ?? []) queue.push(namedType(field.type));
    for (const possible of type?.possibleTypes ?? []) {
      if (name !== 'GenericMorph' || withMedia.has(possible.name)) queue.push(possible.name);
    }
  }
  return seen;
}
