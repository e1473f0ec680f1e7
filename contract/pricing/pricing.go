// Package pricing is the one price table of model tokens: the analytics cost queries and the
// quota service price usage with it, from the deployment's bedrock.prices (or Defaults).
package pricing

import (
	"math"
	"strings"
)

// Price is the USD price per million tokens of the models whose ID contains Match.
type Price struct {
	Match         string  `json:"match"`
	Input         float64 `json:"input"`
	Output        float64 `json:"output"`
	CacheRead     float64 `json:"cache_read"`
	CacheCreation float64 `json:"cache_creation"`
}

// DefaultsAsOf is when Defaults were read: Amazon Bedrock's on-demand prices of Anthropic's
// models (https://aws.amazon.com/bedrock/pricing/), which are Anthropic's list prices.
const DefaultsAsOf = "2026-12-01"

// Defaults are the prices used when the settings give none, in USD per million tokens.
var Defaults = []Price{
	{Match: "claude-opus-4-5", Input: 5, Output: 25, CacheRead: 0.5, CacheCreation: 6.25},
	{Match: "claude-opus-4", Input: 15, Output: 75, CacheRead: 1.5, CacheCreation: 18.75},
	{Match: "claude-sonnet-4", Input: 3, Output: 15, CacheRead: 0.3, CacheCreation: 3.75},
	{Match: "claude-3-7-sonnet", Input: 3, Output: 15, CacheRead: 0.3, CacheCreation: 3.75},
	{Match: "claude-haiku-4-5", Input: 1, Output: 5, CacheRead: 0.1, CacheCreation: 1.25},
	{Match: "claude-3-5-haiku", Input: 0.8, Output: 4, CacheRead: 0.08, CacheCreation: 1},
}

// Lookup returns the price of a model ID: of the entries whose Match is a substring of it,
// the longest (so "claude-opus-4-5" prices Opus 4.5 before "claude-opus-4"); the first of
// equally long ones. ok is false for an unpriced model.
func Lookup(prices []Price, modelID string) (p Price, ok bool) {
	for _, c := range prices {
		if c.Match != "" && strings.Contains(modelID, c.Match) && (!ok || len(c.Match) > len(p.Match)) {
			p, ok = c, true
		}
	}
	return p, ok
}

// Tokens are one request's (or a period's) token counts by kind.
type Tokens struct {
	Input, Output, CacheRead, CacheCreation int64
}

// Total is every token counted.
func (t Tokens) Total() int64 { return t.Input + t.Output + t.CacheRead + t.CacheCreation }

// MicroUSD is what t costs at p, in millionths of a dollar, rounded to the nearest: with
// prices per million tokens that is tokens × price, kept in integers for exact sums.
func (p Price) MicroUSD(t Tokens) int64 {
	v := float64(t.Input)*p.Input + float64(t.Output)*p.Output +
		float64(t.CacheRead)*p.CacheRead + float64(t.CacheCreation)*p.CacheCreation
	return int64(math.Round(v))
}

// Problem is what is wrong with a price table entry, for the caller to name its field.
func (p Price) Problem() string {
	if strings.TrimSpace(p.Match) == "" {
		return "match is empty; give a substring of the model ID, e.g. \"claude-sonnet-4\""
	}
	for _, v := range []float64{p.Input, p.Output, p.CacheRead, p.CacheCreation} {
		if v < 0 || v != v || math.IsInf(v, 0) {
			return "a price is negative or not a number; give USD per million tokens, 0 or more"
		}
	}
	return ""
}
