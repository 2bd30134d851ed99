using System.Net;
using Posthorn.Delivery.Targets;

namespace Posthorn.Tests.Delivery;

public sealed class AddressRulesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("100.64.0.1", "shared")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fc00::1", "private")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("fd00:ec2::254", "metadata")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::127.0.0.1", "loopback")] // IPv4-compatible
    [InlineData("64:ff9b::a9fe:a9fe", "metadata")] // NAT64 of 169.254.169.254
    [InlineData("2002:7f00:1::", "loopback")] // 6to4 of 127.0.0.1
    public void ForbiddenKind_NonPublicAddress_NamesTheRange(string address, string kind) =>
        Assert.Contains(kind, AddressRules.ForbiddenKind(IPAddress.Parse(address)), StringComparison.Ordinal);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void ForbiddenKind_PublicAddress_IsNull(string address) => Assert.Null(AddressRules.ForbiddenKind(IPAddress.Parse(address)));
}
