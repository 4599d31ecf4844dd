// `Document`, its JSON forms and `DocumentStoreError` live in DocumentModel, below both this
// library and the ReQL evaluator (which must not depend on storage); re-exported so that
// applications need only `import DocumentStore`.
@_exported import DocumentModel
