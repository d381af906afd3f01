export const OPDESK_VERSION = '0.1.0'
