package vm

import (
	"math"
	"strconv"
)

// Geographic functions over WGS 84 degrees.
//
//   - GEO_HASH(lat, lon, n) is the n-character geohash of the point (n in 1..12).
//   - GEO_TILE_X(lon, z) and GEO_TILE_Y(lat, z) are the Web Mercator ("slippy map") tile
//     coordinates of the point at zoom z (0..32); latitudes are clamped to ±85.0511°.
//   - GEO_TILE_ES(lat, lon, z) is the tile as the string "z/x/y" (Elasticsearch's geotile).
//   - GEO_DISTANCE(lat1, lon1, lat2, lon2) is the great-circle (haversine) distance in metres
//     on a sphere of radius 6,371,000 m (the mean Earth radius; error up to about 0.5%).
//
// Arguments must be numbers (n and z integers); anything else gives MISSING, as does a
// latitude outside ±90 or a longitude outside ±180 for GEO_HASH.
func init() {
	RegisterFunc(&Func{
		Name: "GEO_HASH", MinArgs: 3, MaxArgs: 3,
		Eval: func(c *Ctx, args []Value) Value {
			lat, ok1 := args[0].AsFloat()
			lon, ok2 := args[1].AsFloat()
			n, ok3 := intArg(args[2])
			if !ok1 || !ok2 || !ok3 || n < 1 || n > 12 || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
				return Missing()
			}
			return Bytes(geoHash(lat, lon, int(n)))
		},
	})
	RegisterFunc(&Func{
		Name: "GEO_TILE_X", MinArgs: 2, MaxArgs: 2,
		Eval: func(c *Ctx, args []Value) Value {
			lon, ok1 := args[0].AsFloat()
			z, ok2 := intArg(args[1])
			if !ok1 || !ok2 || z < 0 || z > 32 || math.IsNaN(lon) {
				return Missing()
			}
			return Int(tileX(lon, z))
		},
	})
	RegisterFunc(&Func{
		Name: "GEO_TILE_Y", MinArgs: 2, MaxArgs: 2,
		Eval: func(c *Ctx, args []Value) Value {
			lat, ok1 := args[0].AsFloat()
			z, ok2 := intArg(args[1])
			if !ok1 || !ok2 || z < 0 || z > 32 || math.IsNaN(lat) {
				return Missing()
			}
			return Int(tileY(lat, z))
		},
	})
	RegisterFunc(&Func{
		Name: "GEO_TILE_ES", MinArgs: 3, MaxArgs: 3,
		Eval: func(c *Ctx, args []Value) Value {
			lat, ok1 := args[0].AsFloat()
			lon, ok2 := args[1].AsFloat()
			z, ok3 := intArg(args[2])
			if !ok1 || !ok2 || !ok3 || z < 0 || z > 32 || math.IsNaN(lat) || math.IsNaN(lon) {
				return Missing()
			}
			b := strconv.AppendInt(nil, z, 10)
			b = append(b, '/')
			b = strconv.AppendInt(b, tileX(lon, z), 10)
			b = append(b, '/')
			b = strconv.AppendInt(b, tileY(lat, z), 10)
			return Bytes(b)
		},
	})
	RegisterFunc(&Func{
		Name: "GEO_DISTANCE", MinArgs: 4, MaxArgs: 4,
		Eval: func(c *Ctx, args []Value) Value {
			var f [4]float64
			for i := range f {
				x, ok := args[i].AsFloat()
				if !ok {
					return Missing()
				}
				f[i] = x
			}
			return Float(haversine(f[0], f[1], f[2], f[3]))
		},
	})
}

const geohashAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

// geoHash interleaves longitude and latitude bisection bits, five per character.
func geoHash(lat, lon float64, n int) []byte {
	latLo, latHi := -90.0, 90.0
	lonLo, lonHi := -180.0, 180.0
	out := make([]byte, n)
	even := true
	for i := range out {
		var ch byte
		for b := 0; b < 5; b++ {
			ch <<= 1
			if even {
				mid := (lonLo + lonHi) / 2
				if lon >= mid {
					ch |= 1
					lonLo = mid
				} else {
					lonHi = mid
				}
			} else {
				mid := (latLo + latHi) / 2
				if lat >= mid {
					ch |= 1
					latLo = mid
				} else {
					latHi = mid
				}
			}
			even = !even
		}
		out[i] = geohashAlphabet[ch]
	}
	return out
}

func tileX(lon float64, z int64) int64 {
	n := math.Ldexp(1, int(z))
	x := math.Floor((lon + 180) / 360 * n)
	return int64(math.Min(math.Max(x, 0), n-1))
}

const maxMercatorLat = 85.05112877980659

func tileY(lat float64, z int64) int64 {
	lat = math.Min(math.Max(lat, -maxMercatorLat), maxMercatorLat)
	n := math.Ldexp(1, int(z))
	r := lat * math.Pi / 180
	y := math.Floor((1 - math.Asinh(math.Tan(r))/math.Pi) / 2 * n)
	return int64(math.Min(math.Max(y, 0), n-1))
}

const earthRadius = 6371000.0

func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	p1, p2 := lat1*rad, lat2*rad
	dp := p2 - p1
	dl := (lon2 - lon1) * rad
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(a)))
}
