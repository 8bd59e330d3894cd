// The translation unit that builds the precompiled headers of cmake/pch/ (C2P_PCH): the
// targets c2p_pch and c2p_test_pch compile only this file, and every other target reuses
// their header.
