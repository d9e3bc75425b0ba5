import base from '@letterbox/eslint-config';
export default base;
