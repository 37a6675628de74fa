package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// byteSize is a flag holding a number of bytes, written as a number and
// a unit: 2GiB, 512MiB, 1.5G, 300MB, 4096 (bytes).
type byteSize int64

// byteUnits maps the units byteSize reads to their size: K, M, G and T
// and the units ending in iB are powers of 1024, KB, MB, GB and TB powers
// of 1000.
func byteUnits() map[string]float64 {
	return map[string]float64{
		"": 1, "b": 1,
		"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
		"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
		"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
		"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
	}
}

// parseByteSize reads a size such as 2GiB; it must be positive.
func parseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(t)
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := byteUnits()[unit]
	if !ok {
		return 0, fmt.Errorf("%q: unknown unit %q (use B, KiB, MiB, GiB, TiB, K, M, G, T, KB, MB, GB or TB)", s, t[i:])
	}
	if num == "" {
		return 0, fmt.Errorf("%q: no number", s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: not a number", s)
	}
	bytes := math.Round(v * mult)
	if bytes < 1 {
		return 0, fmt.Errorf("%q: a size must be at least one byte", s)
	}
	if bytes >= math.MaxInt64 {
		return 0, errors.New(strconv.Quote(s) + ": too large")
	}
	return int64(bytes), nil
}

func (b *byteSize) String() string {
	n := int64(*b)
	for _, u := range []struct {
		name string
		size int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

func (b *byteSize) Set(s string) error {
	n, err := parseByteSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}
