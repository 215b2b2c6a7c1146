int rm_core_placeholder;
