// The tests' precompiled header (C2P_PCH): the common one and GoogleTest.
#pragma once

#include "common.hpp"

#include <gtest/gtest.h>
