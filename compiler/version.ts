// The compiler's version, recorded in every artifact (compiler/artifact.ts).
export const COMPILER_VERSION = '0.1.0';
