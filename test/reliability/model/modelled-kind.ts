/** The kinds the model covers; connections, which no other kind needs, are covered by the integration suite. */
export type ModelledKind = 'personality' | 'role' | 'agent';
