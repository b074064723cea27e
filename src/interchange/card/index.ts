export { parseCard, parseCardJson, type Card, type CardExtras, type CardV2, type CardV3 } from './card';
export { cardToJson, toV2Card } from './card-json';
export { isCardJson, isPng } from './detect';
export { bundleToCards } from './from-bundle';
export { MAX_IMPORT_BYTES, readCardPng, writeCardPng } from './png-card';
export { cardToBundle } from './to-bundle';
