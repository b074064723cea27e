import 'reflect-metadata';
import addContext from 'mochawesome/addContext';
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { removeTempDirs } from './test-container';

chai.use(chaiAsPromised);

/** Root hooks: every test's duration goes into the mochawesome report; temp folders go when the run ends. */
export const mochaHooks = {
  afterAll: removeTempDirs,
  afterEach(this: Mocha.Context): void {
    const test = this.currentTest;
    if (test?.duration !== undefined) addContext(this, { title: 'duration (ms)', value: test.duration });
  },
};
