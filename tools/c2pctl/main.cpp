// c2pctl: see tools/c2pctl/cli.hpp.

#include <iostream>

#include "tools/c2pctl/cli.hpp"

int main(int argc, char** argv) { return c2p::ctl::RunC2pctl(argc, argv, std::cout, std::cerr); }
