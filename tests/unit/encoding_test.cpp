#include "vault/encoding.hpp"

#include <doctest/doctest.h>

using namespace brankas;

TEST_CASE("integers are big-endian and strings carry their length") {
    ByteWriter w;
    w.u8(1).u16(0x0203).u32(0x04050607).u64(0x08090a0b0c0d0e0f).i64(-1).str8("ab").str16("c").bytes32(Bytes{0xff});
    CHECK(to_hex(w.bytes()) == "01" "0203" "04050607" "08090a0b0c0d0e0f" "ffffffffffffffff" "026162" "000163" "00000001ff");

    ByteReader r(w.bytes());
    CHECK(r.u8() == 1);
    CHECK(r.u16() == 0x0203);
    CHECK(r.u32() == 0x04050607u);
    CHECK(r.u64() == 0x08090a0b0c0d0e0full);
    CHECK(r.i64() == -1);
    CHECK(r.str8() == "ab");
    CHECK(r.str16() == "c");
    ByteView b;
    CHECK(r.bytes32(16, b));
    CHECK(b.size() == 1);
    CHECK(r.at_end());
}

TEST_CASE("the reader never trusts a length: a size larger than what is left fails without allocating") {
    // A str16 that claims 65,535 bytes with only two behind it.
    Bytes evil{0xff, 0xff, 'a', 'b'};
    ByteReader r(evil);
    CHECK_FALSE(r.str16().has_value());

    // bytes32 claiming 4 GiB.
    Bytes huge{0xff, 0xff, 0xff, 0xff, 0};
    ByteReader r2(huge);
    ByteView v;
    CHECK_FALSE(r2.bytes32(1 << 20, v));

    // A length above the caller's maximum fails even if the bytes are there.
    Bytes three{0x03, 'a', 'b', 'c'};
    ByteReader r3(three);
    CHECK_FALSE(r3.str8(2).has_value());

    ByteReader empty(ByteView{});
    CHECK_FALSE(empty.u64().has_value());
}

TEST_CASE("printable UTF-8: Indonesian and other scripts pass, control characters and bad sequences do not") {
    CHECK(is_printable_utf8("Bawaslu Kabupaten Ponorogo"));
    CHECK(is_printable_utf8("Panwaslu Kecamatan — Ngébel"));
    CHECK(is_printable_utf8(""));
    CHECK_FALSE(is_printable_utf8("line\nbreak"));
    CHECK_FALSE(is_printable_utf8("escape\x1b[31m"));
    CHECK_FALSE(is_printable_utf8("\x7f"));
    CHECK_FALSE(is_printable_utf8("\xc2\x9b"));   // C1 control (CSI)
    CHECK_FALSE(is_printable_utf8("\xc0\xaf"));   // overlong '/'
    CHECK_FALSE(is_printable_utf8("\xed\xa0\x80")); // surrogate
    CHECK_FALSE(is_printable_utf8("\xe2\x82"));   // truncated
}

TEST_CASE("a word of a hint's shell command is quoted only when the shell would not take it as it is") {
    CHECK(shell_word("instagram/panwascam.ponorogo") == "instagram/panwascam.ponorogo");
    CHECK(shell_word("email/sekretariat@bawaslu.go.id") == "email/sekretariat@bawaslu.go.id");
    CHECK(shell_word("7") == "7");
    CHECK(shell_word("facebook/panwascam jenangan") == "'facebook/panwascam jenangan'");
    CHECK(shell_word("tiktok/=hyperlink(\"x\")") == "'tiktok/=hyperlink(\"x\")'");
    CHECK(shell_word("other/it's $HOME") == "'other/it'\\''s $HOME'");
    CHECK(shell_word("") == "''");
    // A byte a terminal must not be sent, in $'...' as \xNN: printed, the word is plain ASCII;
    // copied, it names the same bytes. A backslash or a quote beside it is escaped there.
    CHECK(shell_word("akun\u202evsc.csv") == "$'akun\\xe2\\x80\\xaevsc.csv'");
    CHECK(shell_word("a\x1b[31m b") == "$'a\\x1b[31m b'");
    CHECK(shell_word("it's\\\xff") == "$'it\\'s\\\\\\xff'");
    CHECK(shell_word("Kecamatan \u738b\u82b3") == "'Kecamatan \u738b\u82b3'"); // printable: as before
}
