/** The largest card file (JSON or PNG) read or written: the cap every import shares. */
export { MAX_IMPORT_BYTES } from '../limits';
