/**
 * Imported for its effect: in the built CLI (quick.cjs), this file is replaced by the snapshot
 * schema's check compiled at build time (scripts/precompile.ts), handed to the model before any
 * snapshot is read. From source it does nothing: the check is compiled when first used.
 */
export {};
