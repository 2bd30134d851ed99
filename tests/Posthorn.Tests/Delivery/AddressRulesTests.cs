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
    [InlineData("::ffff:0:0", "unspecified")] // IPv4-mapped 0.0.0.0
    [InlineData("::ffff:192.168.0.1", "private")] // IPv4-mapped
    [InlineData("::ffff:169.254.169.254", "metadata")] // IPv4-mapped
    [InlineData("::ffff:0:127.0.0.1", "loopback")] // IPv4-translated (SIIT) ::ffff:0:0:0/96
    [InlineData("::ffff:0:10.0.0.1", "private")] // IPv4-translated
    [InlineData("64:ff9b::7f00:1", "loopback")] // NAT64 64:ff9b::/96 of 127.0.0.1
    [InlineData("64:ff9b::a00:1", "private")] // NAT64 of 10.0.0.1
    [InlineData("64:ff9b::c0a8:101", "private")] // NAT64 of 192.168.1.1
    [InlineData("64:ff9b:1::7f00:1", "NAT64")] // local-use NAT64 64:ff9b:1::/48, refused whole
    [InlineData("64:ff9b:1:ffff::808:808", "NAT64")] // even when it carries a public IPv4
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback")] // Teredo, client ~(80ff:fffe) = 127.0.0.1
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private")] // Teredo, client 10.0.0.1
    [InlineData("2001:0:4136:e378:8000:63bf:5601:5601", "metadata")] // Teredo, client 169.254.169.254 hidden under public server 65.54.227.120
    [InlineData("2001:0:7f00:1:8000:63bf:f7f7:f7f7", "loopback")] // Teredo, server 127.0.0.1, client public 8.8.8.8
    [InlineData("2002:a00:1::", "private")] // 6to4 of 10.0.0.1
    [InlineData("2002:a9fe:a9fe::1", "metadata")] // 6to4 of 169.254.169.254
    [InlineData("2002:c0a8:101::", "private")] // 6to4 of 192.168.1.1
    public void ForbiddenKind_NonPublicAddress_NamesTheRange(string address, string kind) =>
        Assert.Contains(kind, AddressRules.ForbiddenKind(IPAddress.Parse(address)), StringComparison.Ordinal);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")] // 6to4 of 8.8.8.8
    [InlineData("2001:0:4136:e378:8000:63bf:f7f7:f7f7")] // Teredo: server 65.54.227.120, client 8.8.8.8
    public void ForbiddenKind_PublicAddress_IsNull(string address) => Assert.Null(AddressRules.ForbiddenKind(IPAddress.Parse(address)));
}
