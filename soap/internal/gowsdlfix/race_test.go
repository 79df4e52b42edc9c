//go:build race

package main

// gowsdl v0.5.0 Start() writes its result map from two goroutines (a race
// in gowsdl itself), so the reproducibility test skips under -race.
const raceEnabled = true
