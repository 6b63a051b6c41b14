// Channels of operator sign-in. Sessions live in main (per connection); the renderer only sees this view of them.
import { z } from 'zod';

export const roleSchema = z.enum(['clerk', 'supervisor', 'technician']);

export const sessionViewSchema = z.object({
  operatorId: z.string(),
  role: roleSchema,
  signedInAt: z.string().datetime(),
  idleTimeoutSeconds: z.number().int().positive(),
  /** Temporary PIN (new operator or reset): the operator must set their own before anything else. */
  pinChangeRequired: z.boolean().optional(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

export const operatorIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,31}$/);
export const pinSchema = z.string().regex(/^\d{4,8}$/);

export const operatorViewSchema = z.object({ id: z.string(), role: roleSchema, displayName: z.string(), active: z.boolean(), locked: z.boolean() });

export const authChannels = {
  'kiosk:auth.signIn': { request: z.object({ operatorId: operatorIdSchema, pin: pinSchema }).strict(), response: sessionViewSchema },
  'kiosk:auth.signOut': { request: z.object({}).strict(), response: z.object({ signedOut: z.boolean() }) },
  'kiosk:auth.session': { request: z.object({}).strict(), response: z.object({ session: sessionViewSchema.nullable() }) },
  /** Technician only. */
  'kiosk:auth.listOperators': { request: z.object({}).strict(), response: z.object({ operators: z.array(operatorViewSchema) }) },
  /** Technician only. */
  'kiosk:auth.createOperator': {
    request: z.object({ id: operatorIdSchema, role: roleSchema, displayName: z.string().min(1).max(80), pin: pinSchema }).strict(),
    response: operatorViewSchema,
  },
} as const;
