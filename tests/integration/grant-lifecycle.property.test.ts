/**
 * Money follows the decision, always: the model-based property test of tests/support/
 * grant-lifecycle-property.ts (what it runs and checks is described there), first half of the runs.
 * The second half is in grant-lifecycle-2.property.test.ts; run both with
 * `npx vitest run tests/integration/grant-lifecycle`.
 */
import { describeGrantLifecycleProperty } from "../support/grant-lifecycle-property";

describeGrantLifecycleProperty(1, 2);
