import type { Struct } from '@strapi/strapi';

export const REDACTED = '[redacted]';

/** Attribute and JSON member names whose values are secrets or personal data, whatever the type. */
const SENSITIVE_NAME = /pass(word)?|token|secret|phone|e-?mail|api[_-]?key|salt|otp|recovery|hash|encrypted|credential/i;

/** Values that are personal wherever they appear: email addresses and international phone numbers. */
const PERSONAL_VALUE = [/[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>]+/g, /\+\d[\d\s().-]{5,}\d/g];

const scrubText = (text: string) => PERSONAL_VALUE.reduce((out, pattern) => out.replace(pattern, REDACTED), text);

/** A JSON value with sensitive members and personal-looking strings redacted, at any depth. */
export function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, member]) => [key, SENSITIVE_NAME.test(key) ? REDACTED : scrubValue(member)])
    );
  }
  return value;
}

/**
 * Whether an attribute is redacted as a whole: the schema marks it private (Strapi's own word for
 * "never in an API response"), it is a password or email attribute, or its name says secret or personal.
 */
export function isRedacted(name: string, attribute: Struct.SchemaAttributes[string] | undefined): boolean {
  if (SENSITIVE_NAME.test(name)) return true;
  if (!attribute) return false;
  return Boolean((attribute as { private?: boolean }).private) || attribute.type === 'password' || attribute.type === 'email';
}
