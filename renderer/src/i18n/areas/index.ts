// Every area catalog, keyed by its top-level message key (t('<area>.…')). Add one line per area.
import type { AreaCatalog } from './define';
import { clerk } from './clerk';
import { diagnostics, lock } from './diagnostics';
import { enrollmentArea, workflowArea } from './enrollment';
import { fingers } from './fingers';
import { household } from './household';
import { operators, provisioning } from './provisioning';
import { fingerSignIn } from './signin';
import { supervisor } from './supervisor';
import { sync } from './sync';

export const areaCatalogs: Record<string, AreaCatalog<unknown>> = {
  enrollment: enrollmentArea, workflow: workflowArea,
  diagnostics, lock,
  fingers,
  provisioning, operators,
  sync,
  fingerSignIn,
  supervisor,
  clerk,
  household,
};
