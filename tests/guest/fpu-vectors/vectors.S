# The vector table produced by gen-vectors.ts.
  .section .rodata
  .balign 8
  .globl vectors, vectors_end
vectors:
  .incbin "vectors.bin"
vectors_end:
