package db

// Helpers of the internal tests exported to the external ones (package db_test), which can
// import db/dbtest.
var (
	TestIndexKeyForTest = testIndexKey
	TableRowsForTest    = tableRows
	JSONRowsForTest     = jsonRows
	PutObjectForTest    = putObject
	CreateTableForTest  = createTable
	NewLocalRootForTest = newLocalRoot
)

// RunTutorialForTest runs the EKS guide's tutorial against a root whose table tutorial.table1
// reads sources from src under prefix.
var RunTutorialForTest = runTutorial
