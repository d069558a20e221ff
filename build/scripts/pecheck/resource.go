package main

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
)

// rtVersion is the resource type of VS_VERSIONINFO.
const rtVersion = 16

// findResource returns the data of the first resource of the given type
// (any name, any language) from the image's resource directory: a tree of
// type, name and language levels, offsets relative to its start, leaves
// pointing at data by RVA.
func findResource(f *pe.File, typeID uint32) ([]byte, error) {
	rva, size := resourceDirectory(f)
	if rva == 0 || size == 0 {
		return nil, errors.New("the image has no resource directory")
	}
	rsrc, err := readRVA(f, rva)
	if err != nil {
		return nil, fmt.Errorf("resource directory: %w", err)
	}
	off, err := dirEntry(rsrc, 0, func(id uint32) bool { return id == typeID })
	if errors.Is(err, errNoEntry) {
		return nil, errNoVersion
	}
	for level := 1; level <= 2 && err == nil; level++ { // name, then language
		if off&subdirFlag == 0 {
			return nil, fmt.Errorf("resource level %d is data, want a directory", level)
		}
		off, err = dirEntry(rsrc, off&^subdirFlag, func(uint32) bool { return true })
	}
	if err != nil {
		return nil, err
	}
	if off&subdirFlag != 0 {
		return nil, errors.New("resource language level is a directory, want data")
	}
	// IMAGE_RESOURCE_DATA_ENTRY: OffsetToData (an RVA), Size, CodePage, Reserved.
	if int(off)+16 > len(rsrc) {
		return nil, errors.New("resource data entry out of bounds")
	}
	dataRVA := binary.LittleEndian.Uint32(rsrc[off:])
	dataSize := binary.LittleEndian.Uint32(rsrc[off+4:])
	data, err := readRVA(f, dataRVA)
	if err != nil {
		return nil, fmt.Errorf("resource data: %w", err)
	}
	if uint64(dataSize) > uint64(len(data)) {
		return nil, errors.New("resource data runs past its section")
	}
	return data[:dataSize], nil
}

const subdirFlag = 0x80000000

var errNoEntry = errors.New("no matching resource directory entry")

// dirEntry reads the IMAGE_RESOURCE_DIRECTORY at off and returns the
// OffsetToData of the first entry with a numeric id that match accepts
// (named entries are skipped when match asks for a particular id).
func dirEntry(rsrc []byte, off uint32, match func(id uint32) bool) (uint32, error) {
	if uint64(off)+16 > uint64(len(rsrc)) {
		return 0, errors.New("resource directory out of bounds")
	}
	named := uint32(binary.LittleEndian.Uint16(rsrc[off+12:]))
	ids := uint32(binary.LittleEndian.Uint16(rsrc[off+14:]))
	for i := range named + ids {
		e := uint64(off) + 16 + 8*uint64(i)
		if e+8 > uint64(len(rsrc)) {
			return 0, errors.New("resource directory entry out of bounds")
		}
		name := binary.LittleEndian.Uint32(rsrc[e:])
		if name&subdirFlag != 0 { // a string name: never a numeric type
			if match(^uint32(0)) {
				return binary.LittleEndian.Uint32(rsrc[e+4:]), nil
			}
			continue
		}
		if match(name) {
			return binary.LittleEndian.Uint32(rsrc[e+4:]), nil
		}
	}
	return 0, errNoEntry
}

// resourceDirectory returns the RVA and size of the resource data
// directory of either optional header kind.
func resourceDirectory(f *pe.File) (rva, size uint32) {
	var dirs []pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		dirs = oh.DataDirectory[:oh.NumberOfRvaAndSizes]
	case *pe.OptionalHeader32:
		dirs = oh.DataDirectory[:oh.NumberOfRvaAndSizes]
	}
	if len(dirs) <= pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
		return 0, 0
	}
	d := dirs[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
	return d.VirtualAddress, d.Size
}

// readRVA returns the bytes of the section holding rva, from rva to the
// end of the section's data in the file.
func readRVA(f *pe.File, rva uint32) ([]byte, error) {
	for _, s := range f.Sections {
		if rva < s.VirtualAddress || rva >= s.VirtualAddress+max(s.VirtualSize, s.Size) {
			continue
		}
		data, err := s.Data()
		if err != nil {
			return nil, fmt.Errorf("section %s: %w", s.Name, err)
		}
		start := rva - s.VirtualAddress
		if start >= uint32(len(data)) {
			return nil, fmt.Errorf("RVA %#x is past the data of section %s", rva, s.Name)
		}
		return data[start:], nil
	}
	return nil, fmt.Errorf("no section holds RVA %#x", rva)
}
