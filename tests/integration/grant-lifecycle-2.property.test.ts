/**
 * Money follows the decision, always: the second half of the property test's runs (see
 * grant-lifecycle.property.test.ts), in a file of its own so vitest runs both halves at once.
 */
import { describeGrantLifecycleProperty } from "../support/grant-lifecycle-property";

describeGrantLifecycleProperty(2, 2);
