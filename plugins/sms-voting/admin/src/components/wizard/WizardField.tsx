import * as React from 'react';
import { Field, SingleSelect, SingleSelectOption, TextInput, Textarea } from '@strapi/design-system';
import type { FieldErrors } from './form';

type Common = { path: string; label: string; errors: FieldErrors; hint?: React.ReactNode; required?: boolean };

/** The input's id and the error the server gave for its path ("rounds.1.closesAt"). */
export const fieldId = (path: string) => `wizard-${path.replace(/\./g, '-')}`;

/** One labelled input of the wizard, showing the server's problem with it under it. */
export const TextField = ({ path, label, errors, hint, required, value, onChange, type = 'text', multiline = false, ...rest }: Common & {
  value: string;
  onChange: (value: string) => void;
  type?: string;
  multiline?: boolean;
} & Pick<React.InputHTMLAttributes<HTMLInputElement>, 'min' | 'autoComplete'>) => (
  <Field.Root name={path} id={fieldId(path)} error={errors[path]} hint={hint} required={required}>
    <Field.Label>{label}</Field.Label>
    {multiline ? (
      <Textarea value={value} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)} />
    ) : (
      <TextInput type={type} value={value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value)} {...rest} />
    )}
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

export const SelectField = ({ path, label, errors, hint, required, value, onChange, options }: Common & {
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) => (
  <Field.Root name={path} id={fieldId(path)} error={errors[path]} hint={hint} required={required}>
    <Field.Label>{label}</Field.Label>
    <SingleSelect value={value} onChange={(next: string | number) => onChange(String(next))}>
      {options.map((option) => (
        <SingleSelectOption key={option.value} value={option.value}>
          {option.label}
        </SingleSelectOption>
      ))}
    </SingleSelect>
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);
