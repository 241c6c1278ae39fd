/** The failure classifier lives in core (the console's connection test names failures the same way). */
export { classifyFailure, type Failure, type FailureKind } from '../../core/index.js';
