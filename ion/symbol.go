package ion

// Symbol is a symbol ID: an index into the symbol table in force.
type Symbol uint32

// The Ion 1.0 system symbols.
const (
	SymbolZero                 Symbol = 0 // $0: the symbol with unknown text
	SymbolIon                  Symbol = 1 // $ion
	SymbolIon10                Symbol = 2 // $ion_1_0
	SymbolIonSymbolTable       Symbol = 3 // $ion_symbol_table
	SymbolName                 Symbol = 4 // name
	SymbolVersion              Symbol = 5 // version
	SymbolImports              Symbol = 6 // imports
	SymbolSymbols              Symbol = 7 // symbols
	SymbolMaxID                Symbol = 8 // max_id
	SymbolIonSharedSymbolTable Symbol = 9 // $ion_shared_symbol_table

	// SystemSymbols is the number of symbol IDs the system symbol table defines ($0..$9):
	// the first local symbol gets this ID.
	SystemSymbols = 10
)

var systemText = [SystemSymbols]string{
	"", "$ion", "$ion_1_0", "$ion_symbol_table", "name", "version", "imports", "symbols",
	"max_id", "$ion_shared_symbol_table",
}
