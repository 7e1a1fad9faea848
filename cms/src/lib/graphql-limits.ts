/**
 * What one GraphQL request may cost. Before Apollo sees it (`screenGraphqlQuery`, from the
 * graphql-limits middleware): its size, its aliases and fragment cycles, on the parsed text alone,
 * so an alias bomb is refused in a few milliseconds and a cycle never reaches the plugin's depth
 * limit (which overflows its stack on one). While Apollo validates it (`graphqlLimitsRule`): its depth
 * and its cost, which counts every field once per item of the lists around it. Each refusal is a
 * 400 that says which limit the query passed.
 */
import { createRequire } from 'module';
import type * as GraphQL from 'graphql';

// The graphql the plugin's Apollo server validates with (its schema types come from that copy).
const graphql = createRequire(require.resolve('@strapi/plugin-graphql/strapi-server'))('graphql') as typeof GraphQL;
const { GraphQLError, Kind, getNamedType, getNullableType, isListType, parse, visit } = graphql;

export type GraphqlLimits = { maxDepth: number; maxCost: number; defaultListSize: number; maxListSize: number };
export type GraphqlScreen = { maxQueryBytes: number; maxAliases: number };

/** Why a query is refused before it is validated, or undefined when it may go on (syntax errors are Apollo's to report). */
export function screenGraphqlQuery(query: string, limits: GraphqlScreen): string | undefined {
  const bytes = Buffer.byteLength(query);
  if (bytes > limits.maxQueryBytes) return `The query is ${bytes} bytes; at most ${limits.maxQueryBytes} are answered.`;
  let document: GraphQL.DocumentNode;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return undefined;
  }
  let aliases = 0;
  const spreads = new Map<string, string[]>();
  for (const definition of document.definitions) {
    const names: string[] = [];
    visit(definition, {
      Field: (field) => void (field.alias && (aliases += 1)),
      FragmentSpread: (spread) => void names.push(spread.name.value),
    });
    if (definition.kind === Kind.FRAGMENT_DEFINITION) spreads.set(definition.name.value, names);
  }
  if (aliases > limits.maxAliases) return `The query has ${aliases} aliases; at most ${limits.maxAliases} are answered.`;

  // A fragment that spreads itself, directly or through others (GraphQL's own message for it).
  const finished = new Set<string>();
  const cycleFrom = (name: string, path: string[]): string | undefined => {
    if (path.includes(name)) return name;
    if (finished.has(name)) return undefined;
    for (const next of spreads.get(name) ?? []) {
      const cycle = cycleFrom(next, [...path, name]);
      if (cycle) return cycle;
    }
    finished.add(name);
    return undefined;
  };
  for (const name of spreads.keys()) {
    const cycle = cycleFrom(name, []);
    if (cycle) return `Cannot spread fragment "${cycle}" within itself.`;
  }
  return undefined;
}

type Selections = readonly GraphQL.SelectionNode[];

/**
 * How many items a list field may answer: its `pagination` argument's limit or pageSize, the most a
 * list may hold when that comes from a variable (not known while validating), else the default.
 */
function listSize(field: GraphQL.FieldNode, limits: GraphqlLimits): number {
  const pagination = field.arguments?.find((argument) => argument.name.value === 'pagination')?.value;
  if (!pagination) return limits.defaultListSize;
  if (pagination.kind !== Kind.OBJECT) return limits.maxListSize;
  const size = pagination.fields.find((entry) => entry.name.value === 'limit' || entry.name.value === 'pageSize')?.value;
  if (!size) return limits.defaultListSize;
  if (size.kind !== Kind.INT) return limits.maxListSize;
  return Math.min(Math.max(Number(size.value), 1), limits.maxListSize);
}

/** A validation rule enforcing `limits` on every operation of the document. */
export function graphqlLimitsRule(limits: GraphqlLimits) {
  return (context: GraphQL.ValidationContext): GraphQL.ASTVisitor => {
    const schema = context.getSchema();
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((definition): definition is GraphQL.FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
        .map((fragment) => [fragment.name.value, fragment])
    );

    const measure = (operation: GraphQL.OperationDefinitionNode) => {
      let cost = 0;
      let depth = 0;
      const visit = (selections: Selections, parent: GraphQL.GraphQLNamedType | undefined, multiplier: number, level: number, seen: Set<string>) => {
        for (const selection of selections) {
          if (selection.kind === Kind.FRAGMENT_SPREAD) {
            const fragment = fragments.get(selection.name.value);
            if (!fragment || seen.has(fragment.name.value)) continue;
            const type = schema.getType(fragment.typeCondition.name.value);
            visit(fragment.selectionSet.selections, type, multiplier, level, new Set([...seen, fragment.name.value]));
            continue;
          }
          if (selection.kind === Kind.INLINE_FRAGMENT) {
            const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
            visit(selection.selectionSet.selections, type, multiplier, level, seen);
            continue;
          }
          // Introspection (`__schema`, `__typename`) is the schema's own, and off in production.
          if (selection.name.value.startsWith('__')) continue;
          const definition =
            parent && 'getFields' in parent ? (parent.getFields() as Record<string, GraphQL.GraphQLField<unknown, unknown>>)[selection.name.value] : undefined;
          const nullable = definition ? getNullableType(definition.type) : undefined;
          const items = nullable && isListType(nullable) ? listSize(selection, limits) : 1;
          cost += multiplier;
          depth = Math.max(depth, level + 1);
          if (selection.selectionSet) {
            visit(selection.selectionSet.selections, definition ? getNamedType(definition.type) : undefined, multiplier * items, level + 1, seen);
          }
        }
      };
      const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
      visit(operation.selectionSet.selections, root ?? undefined, 1, 0, new Set());
      return { cost, depth };
    };

    return {
      OperationDefinition(operation) {
        const { cost, depth } = measure(operation);
        const refuse = (message: string) => context.reportError(new GraphQLError(message, { nodes: [operation] }));
        if (depth > limits.maxDepth) refuse(`The query is ${depth} levels deep; at most ${limits.maxDepth} are answered.`);
        if (cost > limits.maxCost) {
          refuse(`The query may cost ${cost} (each field counted once per item of the lists around it); at most ${limits.maxCost} is answered. Ask for fewer items or fields.`);
        }
      },
    };
  };
}
