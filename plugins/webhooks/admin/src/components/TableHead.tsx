import { Th, Thead, Tr, Typography } from '@strapi/design-system';

/** A table's row of column titles. */
export const TableHead = ({ columns }: { columns: string[] }) => (
  <Thead>
    <Tr>
      {columns.map((column) => (
        <Th key={column}>
          <Typography variant="sigma">{column}</Typography>
        </Th>
      ))}
    </Tr>
  </Thead>
);
