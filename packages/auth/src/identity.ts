import { z } from 'zod';

/** What a signed-in person may be. The role decides what they may do; see ./authorisation. */
export const ROLES = ['professional', 'provider', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The professions a `professional` may have; GraphQL enums use the same names. */
export const PROFESSIONS = [
  'GP',
  'COMMUNITY_LINK_WORKER',
  'CONSULTANT',
  'SPECIALIST_NURSE',
  'SPECIALIST_PHYSIOTHERAPIST',
  'ALLIED_HEALTH_PROFESSIONAL',
  'THIRD_SECTOR',
] as const;
export type Profession = (typeof PROFESSIONS)[number];

export interface PublicIdentity {
  kind: 'public';
}

export interface UserIdentity {
  kind: 'user';
  /** The identity provider's stable id for the person (the `sub` claim). Not personal data in itself. */
  subject: string;
  role: Role;
  /** The organisation the person acts for (the `org` claim): always set for providers. */
  organizationId?: string;
  /** Set for professionals, and only for them. */
  profession?: Profession;
}

/** Who is making a request: the public (no token), or a signed-in user. */
export type Identity = PublicIdentity | UserIdentity;

export const PUBLIC_IDENTITY: PublicIdentity = Object.freeze({ kind: 'public' });

/**
 * The names of the claims this platform reads from a token, besides the registered ones
 * (`iss`, `aud`, `exp`, `iat`, `nbf`). An identity provider must be configured to emit them.
 */
export const CLAIMS = {
  subject: 'sub',
  role: 'role',
  organizationId: 'org',
  profession: 'profession',
} as const;

const identifier = z.string().trim().min(1).max(255);

/**
 * The platform's claims in a verified token. Other claims are allowed and ignored. The rules
 * that tie claims together are checked here so a token cannot describe an impossible user.
 */
export const tokenClaimsSchema = z
  .object({
    sub: identifier,
    role: z.enum(ROLES),
    org: identifier.optional(),
    profession: z.enum(PROFESSIONS).optional(),
  })
  .superRefine((claims, context) => {
    if (claims.role === 'professional' && claims.profession === undefined) {
      context.addIssue({ code: 'custom', path: ['profession'], message: 'a professional must have a profession' });
    }
    if (claims.role !== 'professional' && claims.profession !== undefined) {
      context.addIssue({ code: 'custom', path: ['profession'], message: 'only a professional has a profession' });
    }
    if (claims.role === 'provider' && claims.org === undefined) {
      context.addIssue({ code: 'custom', path: ['org'], message: 'a provider must belong to an organisation' });
    }
  });

export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

/** The person-describing part of a user identity, as a token signer supplies it. */
export type UserClaims = Omit<UserIdentity, 'kind'>;

/** The identity a token's claims describe, or the zod issues explaining why they describe none. */
export function identityFromClaims(
  payload: unknown,
): { ok: true; identity: UserIdentity } | { ok: false; problems: string[] } {
  const result = tokenClaimsSchema.safeParse(payload);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${issue.path.join('.') || '(claims)'}: ${issue.message}`),
    };
  }
  const { sub, role, org, profession } = result.data;
  return {
    ok: true,
    identity: {
      kind: 'user',
      subject: sub,
      role,
      ...(org !== undefined ? { organizationId: org } : {}),
      ...(profession !== undefined ? { profession } : {}),
    },
  };
}

/** The claims to put in a token for a user; the inverse of `identityFromClaims`. */
export function claimsFromUser(user: UserClaims): TokenClaims {
  return {
    sub: user.subject,
    role: user.role,
    ...(user.organizationId !== undefined ? { org: user.organizationId } : {}),
    ...(user.profession !== undefined ? { profession: user.profession } : {}),
  };
}
