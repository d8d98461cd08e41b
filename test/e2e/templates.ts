/**
 * The register templates of examples/ (fast-register-*.json). They need a running n8n and its API
 * (the register is an n8n Data Table), so the examples chapter, which runs each example once with
 * `n8n execute`, leaves them to the queue chapter (test/e2e/register.ts).
 */
export const REGISTER_UPLOAD_ID = 'FastRegisterUpl1';
export const REGISTER_REACTIONS_ID = 'FastRegisterRea1';
export const REGISTER_TEMPLATE_IDS: readonly string[] = [REGISTER_UPLOAD_ID, REGISTER_REACTIONS_ID];
