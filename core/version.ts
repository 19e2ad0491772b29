/** The product version, kept in step with package.json by test/unit/version.test.ts. */
export const PRODUCT_VERSION = '0.1.0';
export const PRODUCT_NAME = '医保结算助手';
