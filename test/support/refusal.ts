import { expect } from 'chai';
import { isAgentcfgError, type AgentcfgError } from '../../src/domain/errors/agentcfg-error';
import { ErrorCode } from '../../src/domain/errors/error-code';

/** The ValidationError `read` throws (failing the test if it throws nothing, or anything else). */
export function validationRefusal(read: () => unknown): AgentcfgError {
  try {
    read();
  } catch (error) {
    expect(isAgentcfgError(error), String(error)).to.equal(true);
    expect((error as AgentcfgError).code).to.equal(ErrorCode.VALIDATION_ERROR);
    return error as AgentcfgError;
  }
  expect.fail('expected a ValidationError');
}

/** The error a call rejects with (failing the test when it resolves). */
export async function refusal(promise: Promise<unknown>): Promise<AgentcfgError> {
  return promise.then(
    () => expect.fail('expected a refusal'),
    (error: AgentcfgError) => error,
  );
}
