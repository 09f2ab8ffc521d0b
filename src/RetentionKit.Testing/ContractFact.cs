using System;
using System.Collections.Generic;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace RetentionKit.Testing;

/// <summary>
/// A test of a contract suite. Runs like <see cref="FactAttribute"/>, except that a derived suite whose store needs a
/// server the machine does not have may declare <c>public static string? SkipReason { get; }</c>: when it returns a
/// reason, every test of the suite is reported as skipped with that reason instead of failing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("RetentionKit.Testing.ContractFactDiscoverer", "RetentionKit.Testing")]
public sealed class ContractFactAttribute : FactAttribute
{
}

/// <summary>Finds the tests of <see cref="ContractFactAttribute"/> and skips them when the derived suite gives a <c>SkipReason</c>.</summary>
/// <param name="diagnosticMessageSink">Where xunit's diagnostics go.</param>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    /// <summary>The name of the static property a derived suite declares to be skipped.</summary>
    public const string SkipReasonProperty = "SkipReason";

    /// <inheritdoc/>
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var type = testMethod.TestClass.Class.ToRuntimeType();
        var reason = type?.GetProperty(SkipReasonProperty, BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy)?.GetValue(null) as string;
        return reason is null
            ? [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)]
            : [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, reason, [])];
    }
}
