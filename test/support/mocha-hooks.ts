import 'reflect-metadata';
import addContext from 'mochawesome/addContext';
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';

chai.use(chaiAsPromised);

/** Root hooks: every test's duration goes into the mochawesome report beside its result. */
export const mochaHooks = {
  afterEach(this: Mocha.Context): void {
    const test = this.currentTest;
    if (test?.duration !== undefined) addContext(this, { title: 'duration (ms)', value: test.duration });
  },
};
