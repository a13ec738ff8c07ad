import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { hasshOfOffer } from "../../src/clean/hassh";

describe("hasshOfOffer", () => {
  it("is the MD5 of the kex;enc;mac;comp lists, each comma-joined, whatever else the offer holds", () => {
    const offer = { kexAlgs: ["curve25519-sha256", "ext-info-c"], keyAlgs: ["ssh-ed25519"], encCS: ["aes128-ctr"], macCS: ["hmac-sha2-256", "hmac-sha1"], compCS: ["none"], langCS: [""] };
    assert.equal(hasshOfOffer(offer), createHash("md5").update("curve25519-sha256,ext-info-c;aes128-ctr;hmac-sha2-256,hmac-sha1;none").digest("hex"));
    assert.equal(hasshOfOffer({ ...offer, keyAlgs: ["ssh-rsa"] }), hasshOfOffer(offer), "host key algorithms are not part of it");
    assert.notEqual(hasshOfOffer({ ...offer, compCS: ["zlib@openssh.com", "none"] }), hasshOfOffer(offer), "order is");
  });

  it("gives none for an offer with a list missing or not a list of names", () => {
    assert.equal(hasshOfOffer({ kexAlgs: ["a"], encCS: ["b"], macCS: ["c"] }), undefined);
    assert.equal(hasshOfOffer({ kexAlgs: ["a"], encCS: ["b"], macCS: ["c"], compCS: "none" }), undefined);
    assert.equal(hasshOfOffer({ kexAlgs: ["a"], encCS: ["b"], macCS: [7], compCS: ["none"] }), undefined);
  });
});
