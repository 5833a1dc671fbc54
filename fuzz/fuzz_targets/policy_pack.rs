#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| assay_fuzz_support::targets::policy_pack(data));
