import { describe, expect, it } from 'vitest';
import { canActFor, requireOrganization, requireRole, requireUser } from '../src/authorisation';
import { PUBLIC_IDENTITY, type UserIdentity } from '../src/identity';

const gp: UserIdentity = { kind: 'user', subject: 'gp-1', role: 'professional', organizationId: 'practice-7', profession: 'GP' };
const provider: UserIdentity = { kind: 'user', subject: 'p-1', role: 'provider', organizationId: 'org-3' };
const admin: UserIdentity = { kind: 'user', subject: 'admin-1', role: 'admin' };

function codeOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return { code: (error as { extensions?: { code?: unknown } }).extensions?.code, message: (error as Error).message };
  }
  return 'allowed';
}

describe('requireUser', () => {
  it('returns the signed-in user and refuses the public', () => {
    expect(requireUser(gp)).toBe(gp);
    expect(codeOf(() => requireUser(PUBLIC_IDENTITY))).toEqual({ code: 'UNAUTHENTICATED', message: 'Please sign in to do this.' });
  });
});

describe('requireRole', () => {
  it('allows the named roles and forbids the others with a plain message', () => {
    expect(requireRole(gp, 'professional').profession).toBe('GP');
    expect(requireRole(admin, 'professional', 'admin').role).toBe('admin');
    expect(codeOf(() => requireRole(provider, 'professional', 'admin'))).toEqual({
      code: 'FORBIDDEN',
      message: 'Only a health or care professional or an administrator can do this.',
    });
    expect(codeOf(() => requireRole(gp, 'admin'))).toEqual({ code: 'FORBIDDEN', message: 'Only an administrator can do this.' });
  });

  it('asks the public to sign in rather than forbidding them', () => {
    expect(codeOf(() => requireRole(PUBLIC_IDENTITY, 'provider'))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('requireOrganization', () => {
  it('lets a provider act only for its own organisation', () => {
    expect(requireOrganization(provider, 'org-3')).toBe(provider);
    expect(codeOf(() => requireOrganization(provider, 'org-4'))).toEqual({
      code: 'FORBIDDEN',
      message: 'You can only do this for your own organisation.',
    });
  });

  it('lets an administrator act for any organisation', () => {
    expect(requireOrganization(admin, 'org-4')).toBe(admin);
    expect(canActFor(admin, 'org-4')).toBe(true);
  });

  it('refuses users without that organisation, and the public', () => {
    expect(codeOf(() => requireOrganization(gp, 'org-3'))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(() => requireOrganization({ kind: 'user', subject: 'x', role: 'professional', profession: 'GP' }, 'org-3'))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(codeOf(() => requireOrganization(PUBLIC_IDENTITY, 'org-3'))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(canActFor(PUBLIC_IDENTITY, 'org-3')).toBe(false);
    expect(canActFor(provider, 'org-4')).toBe(false);
  });
});
