// Package inflate decodes DEFLATE (RFC 1951) and gzip (RFC 1952) from a whole input slice
// into a whole output slice.
//
// It exists for the Firehose transform, which gunzips hundreds of small CloudWatch Logs
// records per invocation: with the whole input and the whole output at hand there is no
// sliding window to copy through and no reader to pull bytes one at a time, so matches
// copy straight from earlier output and the bit reader refills 64 bits at a time. The
// decoder is single-threaded, allocates nothing but the output, and never panics: input
// is hostile (see the fuzz tests), and the output is bounded by a caller's limit that is
// enforced before the output grows past it.
//
// The entry points are [AppendGunzip] and [AppendInflate], and the [Decoder] that keeps
// their Huffman tables between calls.
package inflate
