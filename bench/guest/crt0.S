# Entry of the benchmark workload on a QEMU-virt-compatible board started
# with -bios none: M-mode, hart 0, at the start of RAM. Sets up a stack and
# a zeroed .bss, runs main, then powers off through the sifive_test device
# (pass on 0, fail with main's result as the code otherwise).

    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      t0, trap_entry
    csrw    mtvec, t0

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       1b
2:
    call    main
    tail    power_off

# Any trap is a bug in the workload (or the CPU): report and fail.
    .align 2
trap_entry:
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    la      sp, __stack_top
    call    report_trap
    li      a0, 99
    tail    power_off
