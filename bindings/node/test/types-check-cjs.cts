// The CommonJS entry's types: `require` gives the same declarations.
import crm = require('realestate-crm')
const ok: boolean = crm.isValidCpf('529.982.247-25')
const err: typeof crm.CrmError = crm.ValidationError
void [ok, err]
