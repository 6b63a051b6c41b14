// Handlers of kiosk:demo.*: which synthetic person the emulated sensor presents for an enrollment (demo mode only).
import { KioskError } from '../contract/errors.js';
import type { Actor } from '../enrollment/lifecycle.js';
import type { EnrollmentService } from '../enrollment/service.js';
import type { AuthService } from '../auth/service.js';
import type { HandlerMap } from './handlers.js';
import type { DemoPeople } from './services/demo-people.js';

export function createDemoHandlers(deps: { people: DemoPeople | null; enrollment: Pick<EnrollmentService, 'findByRid' | 'read'>; auth: Pick<AuthService, 'requireRole'> }): HandlerMap {
  const people = (): DemoPeople => {
    if (!deps.people) throw new KioskError('DEMO_ONLY', 'Choosing the emulated person is for demo mode only');
    return deps.people;
  };
  return {
    'kiosk:demo.person': async (req, ctx) => {
      deps.auth.requireRole(ctx, ['clerk', 'supervisor'], 'choose the emulated person');
      return { id: req.id, sameAsRid: people().sameAsRid(req.id) };
    },
    'kiosk:demo.samePerson': async (req, ctx) => {
      const actor: Actor = deps.auth.requireRole(ctx, ['clerk', 'supervisor'], 'choose the emulated person');
      const p = people();
      if (req.rid === null) {
        p.set(req.id, null);
        return { id: req.id, sameAsRid: null };
      }
      const rid = req.rid.toUpperCase().replace(/\s+/gu, '');
      const other = await deps.enrollment.findByRid(actor, rid);
      if (!other) throw new KioskError('NOT_FOUND', `No enrollment with RID ${rid} on this kiosk`, { details: { rid } });
      if (other === req.id) throw new KioskError('VALIDATION_FAILED', 'An enrollment cannot be the same person as itself', { details: { rid } });
      await deps.enrollment.read(actor, req.id); // the enrollment must exist
      p.set(req.id, { id: other, rid });
      return { id: req.id, sameAsRid: rid };
    },
  };
}
