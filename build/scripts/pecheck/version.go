package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// VersionInfo is what a VS_VERSIONINFO resource says.
type VersionInfo struct {
	Fixed   FixedInfo
	Strings map[string]string // from the first StringTable
}

// FixedInfo holds the numbers of VS_FIXEDFILEINFO.
type FixedInfo struct {
	File, Product Quad
}

// Quad is a four-part Windows version number.
type Quad [4]uint16

func (q Quad) String() string { return fmt.Sprintf("%d.%d.%d.%d", q[0], q[1], q[2], q[3]) }

const fixedSignature = 0xFEEF04BD

// parseVersionInfo reads VS_VERSIONINFO: a tree of blocks (length, value
// length, type, UTF-16 key, value, children, each 32-bit aligned) whose
// root value is VS_FIXEDFILEINFO and whose StringFileInfo child holds
// StringTables of key/value strings.
func parseVersionInfo(b []byte) (VersionInfo, error) {
	root, _, err := readBlock(b)
	if err != nil {
		return VersionInfo{}, err
	}
	if root.key != "VS_VERSION_INFO" {
		return VersionInfo{}, fmt.Errorf("root key is %q, want VS_VERSION_INFO", root.key)
	}
	vi := VersionInfo{Strings: map[string]string{}}
	if vi.Fixed, err = parseFixed(root.value); err != nil {
		return VersionInfo{}, err
	}
	children, err := readBlocks(root.children)
	if err != nil {
		return VersionInfo{}, err
	}
	for _, c := range children {
		if c.key != "StringFileInfo" {
			continue // VarFileInfo
		}
		tables, err := readBlocks(c.children)
		if err != nil {
			return VersionInfo{}, fmt.Errorf("StringFileInfo: %w", err)
		}
		if len(tables) == 0 {
			return VersionInfo{}, errors.New("StringFileInfo has no StringTable")
		}
		strs, err := readBlocks(tables[0].children)
		if err != nil {
			return VersionInfo{}, fmt.Errorf("StringTable %s: %w", tables[0].key, err)
		}
		for _, s := range strs {
			vi.Strings[s.key] = decodeUTF16(s.value)
		}
		return vi, nil
	}
	return VersionInfo{}, errors.New("no StringFileInfo block")
}

func parseFixed(v []byte) (FixedInfo, error) {
	if len(v) < 52 {
		return FixedInfo{}, fmt.Errorf("VS_FIXEDFILEINFO is %d bytes, want 52", len(v))
	}
	le := binary.LittleEndian
	if sig := le.Uint32(v); sig != fixedSignature {
		return FixedInfo{}, fmt.Errorf("VS_FIXEDFILEINFO signature %#x, want %#x", sig, uint32(fixedSignature))
	}
	quad := func(ms, ls uint32) Quad {
		return Quad{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}
	}
	return FixedInfo{
		File:    quad(le.Uint32(v[8:]), le.Uint32(v[12:])),
		Product: quad(le.Uint32(v[16:]), le.Uint32(v[20:])),
	}, nil
}

// block is one node of the VS_VERSIONINFO tree.
type block struct {
	key      string
	value    []byte // raw value bytes (UTF-16 for text blocks)
	children []byte // the bytes after the value: child blocks
}

// readBlock reads the block at the start of b and returns it and the bytes
// after it (the next sibling starts 32-bit aligned).
func readBlock(b []byte) (block, []byte, error) {
	if len(b) < 6 {
		return block{}, nil, errors.New("truncated version block")
	}
	le := binary.LittleEndian
	length, valueLen, typ := int(le.Uint16(b)), int(le.Uint16(b[2:])), le.Uint16(b[4:])
	if length < 6 || length > len(b) {
		return block{}, nil, fmt.Errorf("version block length %d does not fit in %d bytes", length, len(b))
	}
	data := b[:length]
	key, off, err := readKey(data, 6)
	if err != nil {
		return block{}, nil, err
	}
	off = align4(off)
	size := valueLen
	if typ == 1 { // text: the length counts UTF-16 units
		size *= 2
	}
	size = min(size, max(len(data)-off, 0)) // writers disagree on units; stay inside the block
	blk := block{key: key}
	if off < len(data) {
		blk.value = data[off : off+size]
		if next := align4(off + size); next < len(data) {
			blk.children = data[next:]
		}
	}
	rest := b[min(align4(length), len(b)):]
	return blk, rest, nil
}

// readBlocks reads sibling blocks until b is used up (trailing padding
// shorter than a block header is ignored).
func readBlocks(b []byte) ([]block, error) {
	var out []block
	for len(b) >= 6 {
		blk, rest, err := readBlock(b)
		if err != nil {
			return nil, err
		}
		out = append(out, blk)
		b = rest
	}
	return out, nil
}

// readKey reads a NUL-terminated UTF-16 string at off and returns it and
// the offset just past the NUL.
func readKey(b []byte, off int) (string, int, error) {
	var units []uint16
	for ; off+1 < len(b); off += 2 {
		u := binary.LittleEndian.Uint16(b[off:])
		if u == 0 {
			return string(utf16.Decode(units)), off + 2, nil
		}
		units = append(units, u)
	}
	return "", 0, errors.New("version block key has no terminating NUL")
}

// decodeUTF16 decodes little-endian UTF-16 up to the first NUL.
func decodeUTF16(b []byte) string {
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u := binary.LittleEndian.Uint16(b[i:])
		if u == 0 {
			break
		}
		units = append(units, u)
	}
	return string(utf16.Decode(units))
}

func align4(n int) int { return (n + 3) &^ 3 }
