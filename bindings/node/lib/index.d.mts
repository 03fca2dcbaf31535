// Types of the ES module entry: the same declarations as the CommonJS one.
export * from './index.cjs'
import * as pkg from './index.cjs'
export default pkg
