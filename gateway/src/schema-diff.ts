/**
 * Compares two versions of the public API (what clients can query) and sorts every change into
 * breaking, allowed (breaking, but the thing was deprecated first), dangerous and safe.
 *
 * The rule: a change that could break an existing client fails, unless what it breaks was
 * already `@deprecated` in the baseline: a deprecated field, argument, input field or enum value,
 * or a type that clients could only reach through deprecated fields and arguments. Adding is
 * fine. The detection is @graphql-inspector/core's; the deprecation rule is ours.
 */
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { transformSupergraphToPublicSchema } from '@theguild/federation-composition';
import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

export interface SchemaChange {
  /** The schema coordinate it concerns: `Type`, `Type.field`, `Type.field.argument`, `Enum.VALUE`, `@directive`. */
  coordinate: string;
  /** @graphql-inspector's change type, such as `FIELD_REMOVED` or `FIELD_ARGUMENT_TYPE_CHANGED`. */
  type: string;
  message: string;
}

export interface SchemaDiff {
  /** Changes that can break existing clients, made without deprecating first: these fail the check. */
  breaking: SchemaChange[];
  /** Breaking in form, but what they remove or change was deprecated in the baseline. */
  allowedBreaking: SchemaChange[];
  /** Changes that break no valid query but can surprise a client (a new enum value, a new default). */
  dangerous: SchemaChange[];
  /** Everything else: additions, descriptions, new deprecations. */
  safe: SchemaChange[];
}

/**
 * The API schema of a Federation supergraph: what clients see, without the join__/link__
 * machinery, federation directives or @inaccessible elements.
 */
export function apiSchemaFromSupergraph(supergraphSdl: string): GraphQLSchema {
  return buildASTSchema(transformSupergraphToPublicSchema(parse(supergraphSdl, { noLocation: true })));
}

const isDeprecated = (element: { deprecationReason?: string | null | undefined } | undefined) =>
  element?.deprecationReason != null;

/**
 * The types a client can use without touching anything deprecated: reachable from the root
 * operation types through fields, arguments and input fields that are not deprecated, and
 * through interfaces and unions to every type that can appear in them (fragments can name them).
 */
function typesInUse(schema: GraphQLSchema): Set<string> {
  const seen = new Set<string>();
  const queue: GraphQLNamedType[] = [];
  const add = (type: GraphQLType) => {
    const named = getNamedType(type);
    if (seen.has(named.name)) return;
    seen.add(named.name);
    queue.push(named);
  };
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (root) add(root);
  }
  for (const directive of schema.getDirectives()) {
    for (const argument of directive.args) if (!isDeprecated(argument)) add(argument.type);
  }
  for (let type = queue.shift(); type; type = queue.shift()) {
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (isDeprecated(field)) continue;
        add(field.type);
        for (const argument of field.args) if (!isDeprecated(argument)) add(argument.type);
      }
      for (const implemented of type.getInterfaces()) add(implemented);
      if (isInterfaceType(type)) for (const possible of schema.getPossibleTypes(type)) add(possible);
    } else if (isUnionType(type)) {
      for (const member of type.getTypes()) add(member);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!isDeprecated(field)) add(field.type);
    }
  }
  return seen;
}

/** Whether the element a breaking change concerns had been deprecated in the baseline. */
function wasDeprecatedFirst(coordinate: string, baseline: GraphQLSchema, inUse: Set<string>): boolean {
  if (coordinate === '' || coordinate.startsWith('@')) return false; // directives cannot be deprecated
  const [typeName = '', memberName, argumentName] = coordinate.split('.');
  const type = baseline.getType(typeName);
  if (!type) return false;
  if (!inUse.has(typeName)) return true; // only reachable through deprecated fields and arguments
  if (memberName === undefined) return false;
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[memberName];
    if (isDeprecated(field)) return true;
    return argumentName !== undefined && isDeprecated(field?.args.find((argument) => argument.name === argumentName));
  }
  if (isInputObjectType(type)) return isDeprecated(type.getFields()[memberName]);
  if (isEnumType(type)) return isDeprecated(type.getValue(memberName) ?? undefined);
  return false;
}

function toSchemaChange(change: Change): SchemaChange {
  return { coordinate: change.path ?? '', type: String(change.type), message: change.message };
}

/** Every change from `baseline` to `next`, sorted by what it means for existing clients. */
export async function diffSchemas(baseline: GraphQLSchema, next: GraphQLSchema): Promise<SchemaDiff> {
  const result: SchemaDiff = { breaking: [], allowedBreaking: [], dangerous: [], safe: [] };
  const inUse = typesInUse(baseline);
  for (const change of await diff(baseline, next)) {
    const schemaChange = toSchemaChange(change);
    switch (change.criticality.level) {
      case CriticalityLevel.Breaking:
        (wasDeprecatedFirst(schemaChange.coordinate, baseline, inUse) ? result.allowedBreaking : result.breaking).push(schemaChange);
        break;
      case CriticalityLevel.Dangerous:
        result.dangerous.push(schemaChange);
        break;
      default:
        result.safe.push(schemaChange);
    }
  }
  return result;
}

/** `diffSchemas` on the API schemas of two supergraph SDLs. */
export function diffSupergraphs(baselineSupergraphSdl: string, nextSupergraphSdl: string): Promise<SchemaDiff> {
  return diffSchemas(apiSchemaFromSupergraph(baselineSupergraphSdl), apiSchemaFromSupergraph(nextSupergraphSdl));
}

/** One line per change: `  - Type.field: message`. */
export function formatSchemaChanges(changes: readonly SchemaChange[]): string {
  return changes.map((change) => `  - ${change.coordinate ? `${change.coordinate}: ` : ''}${change.message}`).join('\n');
}
