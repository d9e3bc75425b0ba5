import base, { libraryBoundaries } from '@letterbox/eslint-config';
export default [...base, libraryBoundaries];
