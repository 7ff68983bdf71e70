package sql

import (
	"math"
	"math/big"
	"reflect"
)

// Equal reports whether a and b are the same tree, ignoring positions. Floats compare by
// their bits (so NaN equals NaN and -0 differs from 0) and big integers by value.
func Equal(a, b Node) bool {
	if a == nil || b == nil || isNilNode(a) || isNilNode(b) {
		return (a == nil || isNilNode(a)) && (b == nil || isNilNode(b))
	}
	return equalValue(reflect.ValueOf(a), reflect.ValueOf(b))
}

var (
	posType    = reflect.TypeFor[Pos]()
	bigIntType = reflect.TypeFor[*big.Int]()
)

func equalValue(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	switch a.Type() {
	case posType:
		return true
	case bigIntType:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return a.Interface().(*big.Int).Cmp(b.Interface().(*big.Int)) == 0
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !equalValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Float32, reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return a.Uint() == b.Uint()
	}
	return false
}
