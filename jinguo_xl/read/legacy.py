"""Encryption of a legacy .xls workbook, told from the first records of its workbook stream.

An encrypted .xls is an ordinary compound file (OLE) whose ``Workbook`` stream (``Book`` in
BIFF5) carries a FILEPASS record right after its first BOF; everything after it is RC4 or XOR
scrambled, and the cell reader can only say it does not recognise the format. Read from that
stream, the clerk learns the truth: the workbook has an open password. One case is not a
password at all: Excel encrypts some protected workbooks with its built-in default password
(``VelvetSweatshop``) and opens them without asking, so a clerk told to remove a password
would find none; those are told apart by checking the file's password verifier against the
default password.

The compound file is walked here with a reader of our own rather than a library, because a
library trusts the file's stated sizes: a sector chain that loops or points past the end of
the file is caught at the first repeated or missing sector, and only the first few kilobytes
of one stream are ever assembled.
"""

from __future__ import annotations

import enum
import hashlib
import struct

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The BOF and any records Excel writes before FILEPASS (WRITEPROT, a second BOF for BIFF5
# workbooks saved by some tools) fit easily; a FILEPASS further in is not one Excel honours.
MAX_PREFIX = 8 * 1024
MAX_RECORDS = 16
MAX_DIRECTORY_ENTRIES = 100_000

_ENDOFCHAIN = 0xFFFFFFFE
_HEADER = struct.Struct("<8s16sHHHHH6sIIIIIIIII")
_ENTRY = 128
_BOF = 0x0809
_FILEPASS = 0x002F
_EOF = 0x000A
_BOUNDSHEET = 0x0085
DEFAULT_PASSWORD = "VelvetSweatshop"


class Encryption(enum.Enum):
    """What the workbook stream says about encryption."""

    NONE = "none"  # no FILEPASS, or no workbook stream to judge: the cell reader decides
    PASSWORD = "password"  # a password the clerk set; Excel asks for it on opening
    DEFAULT = "default"  # Excel's built-in password: opens without asking, still unreadable


class BrokenContainer(Exception):
    """The compound file's own structure is broken where we had to read it."""


class _Compound:
    """The parts of a compound file needed to read the start of one stream, bounded."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(OLE_MAGIC):
            raise BrokenContainer("header")
        fields = _HEADER.unpack_from(data)
        shift, mini_shift = fields[5], fields[6]
        if shift not in (9, 12) or mini_shift != 6:
            raise BrokenContainer("sector size")
        self.data = data
        self.size = 1 << shift
        self.mini_size = 1 << mini_shift
        # Sectors after the header; a last sector cut short (some writers do not pad it) counts
        # and reads as if padded with zeros.
        self.sectors = -(-len(data) // self.size) - 1
        fat_count, self.directory_start = fields[9], fields[10]
        self.cutoff, self.minifat_start = fields[12], fields[13]
        difat_start, difat_count = fields[15], fields[16]
        if fat_count > self.sectors:
            raise BrokenContainer("FAT count")
        fat_sectors = list(struct.unpack_from("<109I", data, 76))
        per_sector = self.size // 4
        seen: set[int] = set()
        sector = difat_start
        while len(fat_sectors) < fat_count and len(seen) < difat_count:
            if sector in seen:
                raise BrokenContainer("DIFAT loop")
            seen.add(sector)
            block = struct.unpack_from(f"<{per_sector}I", self._sector(sector))
            fat_sectors.extend(block[:-1])
            sector = block[-1]
        self.fat_sectors = fat_sectors[:fat_count]

    def _sector(self, sector: int) -> bytes:
        if sector >= self.sectors:
            raise BrokenContainer("sector past the end of the file")
        start = (sector + 1) * self.size
        return self.data[start : start + self.size].ljust(self.size, b"\0")

    def _next(self, sector: int) -> int:
        per_sector = self.size // 4
        index = sector // per_sector
        if index >= len(self.fat_sectors):
            raise BrokenContainer("FAT too short")
        block = self._sector(self.fat_sectors[index])
        return struct.unpack_from("<I", block, (sector % per_sector) * 4)[0]

    def chain(self, start: int, limit: int) -> list[int]:
        """The first ``limit`` sectors of the chain from ``start``; a loop or a sector that is
        not in the file breaks the container."""
        out: list[int] = []
        seen: set[int] = set()
        sector = start
        while sector != _ENDOFCHAIN and len(out) < limit:
            if sector in seen or sector >= self.sectors:
                raise BrokenContainer("sector chain")
            seen.add(sector)
            out.append(sector)
            sector = self._next(sector)
        return out

    def read(self, start: int, limit: int) -> bytes:
        count = -(-limit // self.size)
        return b"".join(self._sector(s) for s in self.chain(start, count))[:limit]

    def entry(self, directory: bytes, sid: int) -> tuple[str, int, int, int, int, int, int]:
        """(name, type, left, right, child, start sector, size) of directory entry ``sid``."""
        at = sid * _ENTRY
        if at + _ENTRY > len(directory):
            raise BrokenContainer("directory entry")
        raw = directory[at : at + _ENTRY]
        length = min(struct.unpack_from("<H", raw, 64)[0], 64)
        name = raw[: max(length - 2, 0)].decode("utf-16-le", "replace")
        kind = raw[66]
        left, right, child = struct.unpack_from("<III", raw, 68)
        start, size = struct.unpack_from("<IQ", raw, 116)
        if self.size == 512:
            size &= 0xFFFFFFFF  # version 3 files leave the high half undefined
        return name, kind, left, right, child, start, size

    def stream_start(self, names: tuple[str, ...]) -> bytes | None:
        """The first bytes (at most :data:`MAX_PREFIX`) of the first top-level stream named
        in ``names`` (case-insensitive, in that order of preference), or None."""
        directory = self.read(self.directory_start, (self.sectors + 1) * self.size)
        root = self.entry(directory, 0)
        found: dict[str, tuple[int, int]] = {}
        stack, seen = [root[4]], {0}
        entries = min(MAX_DIRECTORY_ENTRIES, len(directory) // _ENTRY)
        # Sibling links are followed once each: a writer that links an entry twice, or links
        # back to the root, costs nothing, and the walk ends after every entry at most once.
        while stack:
            sid = stack.pop()
            if sid in seen or sid >= entries:
                continue
            seen.add(sid)
            name, kind, left, right, _, start, size = self.entry(directory, sid)
            stack += (left, right)
            if kind == 2:
                found.setdefault(name.lower(), (start, size))
        for wanted in names:
            if wanted.lower() in found:
                start, size = found[wanted.lower()]
                want = min(size, MAX_PREFIX)
                if size < self.cutoff:
                    return self._mini(root[5], start, want)
                return self.read(start, want)
        return None

    def _mini(self, root_start: int, start: int, want: int) -> bytes:
        """The first ``want`` bytes of a small stream kept in the mini stream."""
        per_sector = self.size // self.mini_size
        count = -(-want // self.mini_size)
        minifat = self.read(self.minifat_start, (self.sectors + 1) * self.size)
        holder = self.chain(root_start, self.sectors + 1)  # the mini stream's own sectors
        pieces: list[bytes] = []
        seen: set[int] = set()
        mini = start
        while mini != _ENDOFCHAIN and len(pieces) < count:
            if mini in seen or (mini + 1) * 4 > len(minifat):
                raise BrokenContainer("mini chain")
            seen.add(mini)
            if len(holder) <= mini // per_sector:
                raise BrokenContainer("mini stream")
            block = self._sector(holder[mini // per_sector])
            at = (mini % per_sector) * self.mini_size
            pieces.append(block[at : at + self.mini_size])
            mini = struct.unpack_from("<I", minifat, mini * 4)[0]
        return b"".join(pieces)[:want]


def legacy_encryption(data: bytes) -> Encryption:
    """Whether the .xls compound file in ``data`` is encrypted, and with whose password.

    Only the start of the ``Workbook`` (BIFF8) or ``Book`` (BIFF5) stream is read. Raises
    :class:`BrokenContainer` when the container's structure is broken on the way there.
    """
    try:
        compound = _Compound(data)
        head = compound.stream_start(("Workbook", "Book"))
    except (struct.error, IndexError, MemoryError) as exc:
        raise BrokenContainer("structure") from exc
    if head is None:
        return Encryption.NONE
    payload = _filepass(head)
    if payload is None:
        return Encryption.NONE
    return Encryption.DEFAULT if _opens_with_default(payload) else Encryption.PASSWORD


def _filepass(head: bytes) -> bytes | None:
    """The FILEPASS record's payload among the first records after the BOF, or None."""
    pos = 0
    for number in range(MAX_RECORDS):
        if pos + 4 > len(head):
            return None
        kind, length = struct.unpack_from("<HH", head, pos)
        if number == 0 and kind != _BOF:
            return None
        if kind == _FILEPASS:
            return head[pos + 4 : pos + 4 + length]
        if kind in (_EOF, _BOUNDSHEET):
            return None
        pos += 4 + length
    return None


def _opens_with_default(payload: bytes) -> bool:
    """Whether Excel's built-in password unlocks this FILEPASS ([MS-XLS] 2.4.117, with the
    verifiers of [MS-OFFCRYPTO] 2.3.6 and 2.3.7). Anything not understood counts as a real
    password: it is still encrypted."""
    if len(payload) == 4:  # BIFF5: XOR obfuscation key and verifier, no type
        return struct.unpack_from("<H", payload, 2)[0] == _xor_verifier(DEFAULT_PASSWORD)
    if len(payload) < 6:
        return False
    kind = struct.unpack_from("<H", payload)[0]
    if kind == 0:
        return struct.unpack_from("<H", payload, 4)[0] == _xor_verifier(DEFAULT_PASSWORD)
    major, minor = struct.unpack_from("<HH", payload, 2)
    if kind != 1:
        return False
    if (major, minor) == (1, 1) and len(payload) >= 54:
        salt, verifier = payload[6:22], payload[22:54]
        return _rc4_matches(salt, verifier)
    if minor == 2 and major in (2, 3, 4):
        return _cryptoapi_matches(payload[6:])
    return False


def _xor_verifier(password: str) -> int:
    """The 16-bit password verifier of XOR obfuscation ([MS-OFFCRYPTO] 2.3.7.1)."""
    verifier = 0
    for byte in reversed([len(password), *password.encode("latin-1")]):
        verifier = (((verifier >> 14) & 1) | ((verifier << 1) & 0x7FFF)) ^ byte
    return verifier ^ 0xCE4B


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) & 0xFF
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) & 0xFF
        j = (j + state[i]) & 0xFF
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) & 0xFF])
    return bytes(out)


def _rc4_matches(salt: bytes, encrypted: bytes) -> bool:
    """RC4 encryption, header version 1.1 ([MS-OFFCRYPTO] 2.3.6.2): block 0's key."""
    truncated = hashlib.md5(DEFAULT_PASSWORD.encode("utf-16-le")).digest()[:5]
    intermediate = hashlib.md5((truncated + salt) * 16).digest()[:5]
    key = hashlib.md5(intermediate + b"\0\0\0\0").digest()
    plain = _rc4(key, encrypted)
    return hashlib.md5(plain[:16]).digest() == plain[16:32]


def _cryptoapi_matches(info: bytes) -> bool:
    """RC4 CryptoAPI ([MS-OFFCRYPTO] 2.3.5.2 and 2.3.5.6): flags, header, then verifier."""
    if len(info) < 8:
        return False
    header_size = struct.unpack_from("<I", info, 4)[0]
    if header_size < 20 or 8 + header_size + 4 > len(info):
        return False
    key_bits = struct.unpack_from("<I", info, 8 + 16)[0] or 40
    verifier = info[8 + header_size :]
    salt_size = struct.unpack_from("<I", verifier)[0]
    if salt_size != 16 or len(verifier) < 4 + 16 + 16 + 4 + 20 or key_bits % 8:
        return False
    salt = verifier[4:20]
    encrypted = verifier[20:36] + verifier[40:60]
    digest = hashlib.sha1(salt + DEFAULT_PASSWORD.encode("utf-16-le")).digest()
    key = hashlib.sha1(digest + b"\0\0\0\0").digest()[: key_bits // 8]
    if key_bits == 40:
        key += b"\0" * 11  # CryptoAPI's 40-bit RC4 keys are 128-bit keys, zero-padded
    plain = _rc4(key, encrypted)
    return hashlib.sha1(plain[:16]).digest() == plain[16:36]
